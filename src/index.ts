export * from './repo';
export * from './cluster';
export * from './helm-repository';
export * from './helm-release';
export * from './sealed-secret';
export * from './secret-value';
export * from './sealing/certificate';
export * from './oci-repository';
