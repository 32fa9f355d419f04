import * as fs from 'fs';
import * as path from 'path';
import { Duration, JsonPatch } from 'cdk8s';
import {
  Alert, EventSeverity, FluxCluster, GitOpsRepo, HelmRelease, HelmRepository, NotificationObjectKind, NotificationObjectRef, Provider,
  ProviderType, Receiver, ReceiverType, SealedSecret, SealingCertificate, SecretValue,
} from '../src';
import { golden, mkdtemp, readTree, schemaViolations, synthError, synthOne } from './util';

const CERT = path.join(__dirname, 'fixtures', 'sealing', 'rsa4096.crt');

function setup(sealing: boolean = false) {
  const outdir = mkdtemp();
  const repo = new GitOpsRepo({ outdir });
  const dev = new FluxCluster(repo, 'dev', sealing ? { sealingCertificate: SealingCertificate.fromFile(CERT) } : {});
  return { outdir, repo, dev };
}

const PROVIDERS = 'clusters/dev/notifications/providers';
const ALERTS = 'clusters/dev/notifications/alerts';
const RECEIVERS = 'clusters/dev/notifications/receivers';

/*
 * Golden files n1-n3 are the flux CLI's own test data (cmd/flux/testdata/export/{provider,alert,receiver}.yaml
 * of fluxcd/flux2, with {{ .fluxns }} = flux-system): `flux export` of those objects, which prints them with the
 * same code as `flux create … --export` (exportAlertProvider, exportAlert, exportReceiver, printExport).
 * Golden files n4-n9 are derived: the CLI's Example texts (and flags) in create_alertprovider.go, create_alert.go
 * and create_receiver.go, with the objects those commands build, marshalled as printExport does (go-yaml via JSON:
 * keys sorted, empty omitempty fields left out, creationTimestamp and status removed).
 */
describe('notification golden files', () => {
  test('n1 (flux test data): the slack Provider of testdata/export/provider.yaml', () => {
    const files = synthOne((dev) => new Provider(dev, 'slack', {
      type: ProviderType.SLACK, channel: 'A channel with spacess', address: 'https://hooks.slack.com/services/mock',
    }));
    expect(files[`${PROVIDERS}/slack.yaml`]).toEqual(golden('flux-create/n1-testdata-alert-provider-slack.yaml'));
  });

  test('n2 (flux test data): the Alert of testdata/export/alert.yaml, its deprecated summary through addOverride', () => {
    const files = synthOne((dev) => {
      const slack = new Provider(dev, 'slack', { type: ProviderType.SLACK, secretRef: 'slack-url' });
      const alert = new Alert(dev, 'flux-system', {
        provider: slack,
        eventSeverity: EventSeverity.INFO,
        eventSources: [
          NotificationObjectRef.all(NotificationObjectKind.GIT_REPOSITORY),
          NotificationObjectRef.all(NotificationObjectKind.KUSTOMIZATION),
        ],
      });
      alert.addOverride('spec.summary', 'Slacktest Notification');
    });
    expect(files[`${ALERTS}/flux-system.yaml`]).toEqual(golden('flux-create/n2-testdata-alert-summary.yaml'));
  });

  test('n3 (flux test data): the Receiver of testdata/export/receiver.yaml', () => {
    const files = synthOne((dev) => new Receiver(dev, 'flux-system', {
      type: ReceiverType.GITHUB,
      events: ['ping', 'push'],
      interval: Duration.minutes(10),
      secretRef: 'webhook-token',
      resources: [NotificationObjectRef.of(NotificationObjectKind.GIT_REPOSITORY, 'flux-system', { namespace: 'flux-system' })],
    }));
    expect(files[`${RECEIVERS}/flux-system.yaml`]).toEqual(golden('flux-create/n3-testdata-receiver-github.yaml'));
  });

  test('n4: flux create alert-provider slack --type slack --channel general --address https://hooks.slack.com/services/YOUR/SLACK/WEBHOOK --secret-ref webhook-url --export', () => {
    const files = synthOne((dev) => new Provider(dev, 'slack', {
      type: ProviderType.SLACK, channel: 'general', address: 'https://hooks.slack.com/services/YOUR/SLACK/WEBHOOK', secretRef: 'webhook-url',
    }));
    expect(files[`${PROVIDERS}/slack.yaml`]).toEqual(golden('flux-create/n4-derived-alert-provider-slack-example.yaml'));
  });

  test('n5: flux create alert-provider github-podinfo --type github --address https://github.com/stefanprodan/podinfo --secret-ref github-token --export', () => {
    const files = synthOne((dev) => new Provider(dev, 'github-podinfo', {
      type: ProviderType.GITHUB, address: 'https://github.com/stefanprodan/podinfo', secretRef: 'github-token',
    }));
    expect(files[`${PROVIDERS}/github-podinfo.yaml`]).toEqual(golden('flux-create/n5-derived-alert-provider-github-example.yaml'));
  });

  test('n6: flux create alert --event-severity info --event-source Kustomization/flux-system --provider-ref slack flux-system --export', () => {
    const files = synthOne((dev) => new Alert(dev, 'flux-system', {
      providerRef: 'slack',
      eventSeverity: EventSeverity.INFO,
      eventSources: [NotificationObjectRef.of(NotificationObjectKind.KUSTOMIZATION, 'flux-system')],
    }));
    expect(files[`${ALERTS}/flux-system.yaml`]).toEqual(golden('flux-create/n6-derived-alert-example.yaml'));
  });

  test('n7: flux create receiver github-receiver --type github --event ping --event push --secret-ref webhook-token --resource GitRepository/webapp --resource HelmRepository/webapp --export', () => {
    const files = synthOne((dev) => new Receiver(dev, 'github-receiver', {
      type: ReceiverType.GITHUB,
      events: ['ping', 'push'],
      secretRef: 'webhook-token',
      resources: [
        NotificationObjectRef.of(NotificationObjectKind.GIT_REPOSITORY, 'webapp'),
        NotificationObjectRef.of(NotificationObjectKind.HELM_REPOSITORY, 'webapp'),
      ],
    }));
    expect(files[`${RECEIVERS}/github-receiver.yaml`]).toEqual(golden('flux-create/n7-derived-receiver-example.yaml'));
  });

  test('n8: flux create alert apps --provider-ref slack --event-severity error --event-source HelmRelease/podinfo.apps --event-source \'HelmRelease/*\' --label env=prod --export, with constructs', () => {
    const files = synthOne((dev) => {
      const slack = new Provider(dev, 'slack', { type: ProviderType.SLACK, channel: 'general', secretRef: 'slack-url' });
      const repo = new HelmRepository(dev, 'podinfo-charts', { url: 'https://stefanprodan.github.io/podinfo' });
      const podinfo = new HelmRelease(dev, 'podinfo', { repository: repo, chart: 'podinfo', namespace: 'apps' });
      new Alert(dev, 'apps', {
        provider: slack,
        labels: { env: 'prod' },
        eventSeverity: EventSeverity.ERROR,
        eventSources: [NotificationObjectRef.fromObject(podinfo), NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE)],
      });
    });
    expect(files[`${ALERTS}/apps.yaml`]).toEqual(golden('flux-create/n8-derived-alert-label-namespaced-source.yaml'));
  });

  test('n9: flux create alert-provider teams --type msteams --secret-ref teams-webhook --username flux --export', () => {
    const files = synthOne((dev) => new Provider(dev, 'teams', { type: ProviderType.MSTEAMS, secretRef: 'teams-webhook', username: 'flux' }));
    expect(files[`${PROVIDERS}/teams.yaml`]).toEqual(golden('flux-create/n9-derived-alert-provider-msteams-username.yaml'));
  });
});

describe('Provider', () => {
  test('every field, in alphabetical order, valid against the official schema', () => {
    const { outdir, repo, dev } = setup(true);
    const token = new SealedSecret(dev, 'github-token', { data: { token: SecretValue.unsafePlainText('ghp_example') } });
    const ca = new SealedSecret(dev, 'github-ca', { data: { 'ca.crt': SecretValue.unsafePlainText('-----BEGIN CERTIFICATE-----') } });
    new Provider(dev, 'github', {
      type: ProviderType.GITHUB,
      address: 'https://github.com/acme/fleet',
      channel: 'ops',
      username: 'flux',
      timeout: Duration.seconds(30),
      secret: token,
      certSecret: ca,
      proxySecretRef: 'proxy',
      commitStatusExpr: '"flux/" + event.involvedObject.kind + "/" + event.involvedObject.name',
      suspend: true,
      labels: { team: 'platform' },
      annotations: { 'example.com/owner': 'ops' },
    });
    repo.synth();
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files[`${PROVIDERS}/github.yaml`]).toEqual([
      '---',
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3',
      'kind: Provider',
      'metadata:',
      '  annotations:',
      '    example.com/owner: ops',
      '  labels:',
      '    team: platform',
      '  name: github',
      '  namespace: flux-system',
      'spec:',
      '  address: https://github.com/acme/fleet',
      '  certSecretRef:',
      '    name: github-ca',
      '  channel: ops',
      '  commitStatusExpr: \'"flux/" + event.involvedObject.kind + "/" + event.involvedObject.name\'',
      '  proxySecretRef:',
      '    name: proxy',
      '  secretRef:',
      '    name: github-token',
      '  suspend: true',
      '  timeout: 30s',
      '  type: github',
      '  username: flux',
      '',
    ].join('\n'));
  });

  test('serviceAccountName for a workload identity, and every type passes the official schema', () => {
    const files = synthOne((dev) => {
      new Provider(dev, 'pubsub', { type: ProviderType.GOOGLE_PUBSUB, address: 'my-project', channel: 'flux-events', serviceAccountName: 'notifier' });
      for (const type of Object.values(ProviderType)) new Provider(dev, `t-${type.replace('.', '-')}`, { type, secretRef: 'creds', channel: 'events' });
    });
    expect(schemaViolations(files)).toEqual([]);
    expect(files[`${PROVIDERS}/pubsub.yaml`]).toContain('  serviceAccountName: notifier\n');
    expect(files[`${PROVIDERS}/t-incident-io.yaml`]).toContain('  type: incident.io\n');
  });

  test('is written in a namespace of its own, into the folder of its cluster', () => {
    const files = synthOne((dev) => new Provider(dev, 'slack', { type: ProviderType.SLACK, namespace: 'apps', secretRef: 'slack-url' }));
    expect(files[`${PROVIDERS}/slack.yaml`]).toContain('  namespace: apps\n');
  });

  test('fails on a wrong type, long strings, an hour-long timeout, misplaced commitStatusExpr and serviceAccountName', () => {
    const { outdir, repo, dev } = setup();
    new Provider(dev, 'bad', {
      type: 'teams' as any,
      channel: '',
      address: 'x'.repeat(2049),
      timeout: Duration.hours(1),
      suspend: 'yes' as any,
    });
    new Provider(dev, 'slack', { type: ProviderType.SLACK, secretRef: 'slack-url', commitStatusExpr: 'event.reason', serviceAccountName: 'sa' });
    new Provider(dev, 'hub', { type: ProviderType.AZURE_EVENT_HUB, serviceAccountName: 'sa', secretRef: 'creds' });
    new Provider(dev, 'both', { type: ProviderType.GENERIC, secretRef: 'a', secret: 'b' as any, typo: 1 } as any);
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 10 problems and wrote nothing:',
      `  - dev/bad: type: must be one of ${Object.keys(ProviderType).map((k) => `ProviderType.${k}`).join(', ')} (${Object.values(ProviderType).map((v) => `'${v}'`).join(', ')}) (got "teams")`,
      '  - dev/bad: channel: must be 1 to 2048 characters long (got "")',
      `  - dev/bad: address: must be 1 to 2048 characters long (got "${'x'.repeat(2049)}")`,
      '  - dev/bad: timeout: must be shorter than one hour (the CRD pattern for this field has no \'h\' unit): use at most Duration.minutes(59) (got "1h0m0s")',
      '  - dev/bad: suspend: must be true or false (a boolean, not a string or a number) (got "yes")',
      '  - dev/slack: commitStatusExpr: applies only to the commit status types (\'github\', \'gitlab\', \'gitea\', \'bitbucketserver\', \'bitbucket\', \'azuredevops\'), not to \'slack\' (got "event.reason")',
      '  - dev/slack: serviceAccountName: applies only to the types \'azureeventhub\', \'azuredevops\', \'googlepubsub\', not to \'slack\' (got "sa")',
      '  - dev/hub: serviceAccountName: must not be set with a secret: notification-controller refuses static credentials next to a workload identity (got "sa")',
      '  - dev/both: typo: is not a prop of Provider; the props are \'name\', \'namespace\', \'labels\', \'annotations\', \'type\', \'channel\', \'username\', \'address\', \'timeout\', \'secretRef\', \'secret\', \'certSecretRef\', \'certSecret\', \'proxySecretRef\', \'proxySecret\', \'serviceAccountName\', \'commitStatusExpr\', \'suspend\' (use addOverride for a field they do not reach) (got 1)',
      '  - dev/both: secretRef: must not be set with secret: give one of them (got "a")',
    ]);
    expect(readTree(outdir)).toEqual({});
  });

  test('fails on SealedSecrets of another cluster or namespace, or without the keys the controller reads', () => {
    const { repo, dev } = setup(true);
    const prod = new FluxCluster(repo, 'prod', { sealingCertificate: SealingCertificate.fromFile(CERT) });
    const other = new SealedSecret(prod, 'hmac', { data: { token: SecretValue.unsafePlainText('k3y-value') } });
    const elsewhere = new SealedSecret(dev, 'proxy', { namespace: 'apps', data: { url: SecretValue.unsafePlainText('http://proxy:3128') } });
    const notCa = new SealedSecret(dev, 'ca', { data: { 'ca.pem': SecretValue.unsafePlainText('pem') } });
    const noToken = new SealedSecret(dev, 'hook', { data: { address: SecretValue.unsafePlainText('https://example.com/hook') } });
    new Provider(dev, 'a', { type: ProviderType.GENERIC_HMAC, secret: other, proxySecret: elsewhere, certSecret: notCa });
    new Provider(dev, 'b', { type: ProviderType.GENERIC_HMAC, secret: noToken });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 6 problems and wrote nothing:',
      '  - dev/a: secret: must be a SealedSecret of the same cluster: \'prod/hmac\' belongs to \'prod\' (got "hmac")',
      '  - dev/a: proxySecret: must be in the Provider\'s namespace \'flux-system\': SealedSecret \'proxy\' is in \'apps\'; set its namespace to \'flux-system\' (got "proxy")',
      '  - dev/a: proxySecret: must have the key \'address\', which notification-controller reads (SealedSecret \'proxy\' has \'url\') (got "proxy")',
      '  - dev/a: certSecret: must have the key \'ca.crt\', or \'tls.crt\' and \'tls.key\' (SealedSecret \'ca\' has \'ca.pem\') (got "ca")',
      '  - dev/a: address: is required for a generic-hmac Provider: give the URL here, or as the key \'address\' of SealedSecret \'hmac\' (it has \'token\')',
      '  - dev/b: secret: must have the key \'token\': a generic-hmac Provider fails without it (SealedSecret \'hook\' has \'address\') (got "hook")',
    ]);
  });

  test('fails without what the type needs: a secret with a token, a channel, an address', () => {
    const { repo, dev } = setup(true);
    const noToken = new SealedSecret(dev, 'bot', { data: { username: SecretValue.unsafePlainText('flux-bot') } });
    new Provider(dev, 'gitlab', { type: ProviderType.GITLAB, address: 'https://gitlab.com/acme/fleet' });
    new Provider(dev, 'devops', { type: ProviderType.AZURE_DEVOPS, address: 'https://dev.azure.com/acme/fleet/_git/fleet', serviceAccountName: 'flux-notifier' });
    new Provider(dev, 'telegram', { type: ProviderType.TELEGRAM, secret: noToken });
    new Provider(dev, 'pubsub', { type: ProviderType.GOOGLE_PUBSUB, serviceAccountName: 'flux-notifier' });
    new Provider(dev, 'nats', { type: ProviderType.NATS, channel: 'flux', secret: noToken });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 6 problems and wrote nothing:',
      '  - dev/gitlab: secretRef: is required for a gitlab Provider: the name of a Secret with \'token\' or \'password\' (or secret, a SealedSecret)',
      '  - dev/telegram: secret: must have the key \'token\': a telegram Provider fails without it (SealedSecret \'bot\' has \'username\') (got "bot")',
      '  - dev/telegram: channel: is required for a telegram Provider: the chat ID',
      '  - dev/pubsub: channel: is required for a googlepubsub Provider: the Pub/Sub topic ID',
      '  - dev/pubsub: address: is required for a googlepubsub Provider: the GCP project ID, here or as the key \'address\' of secretRef or secret',
      '  - dev/nats: address: is required for a nats Provider: the NATS server URL, here or as the key \'address\' of SealedSecret \'bot\' (it has \'username\')',
    ]);
  });

  test('fails on a webhook Provider without an address, or with one that is not an http(s) URL', () => {
    const { repo, dev } = setup();
    new Provider(dev, 'generic', { type: ProviderType.GENERIC });
    new Provider(dev, 'discord', { type: ProviderType.DISCORD, address: 'discord.com/api/webhooks/1/x' });
    new Provider(dev, 'slack', { type: ProviderType.SLACK, address: 'ftp://hooks.slack.com/services/x' });
    new Provider(dev, 'pubsub', { type: ProviderType.GOOGLE_PUBSUB, address: 'my-project', channel: 'flux-events' });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 3 problems and wrote nothing:',
      '  - dev/generic: address: is required for a generic Provider: the URL notification-controller posts to, here or (to keep it out of Git) as the key \'address\' of secretRef or secret',
      '  - dev/discord: address: must be an absolute URL with scheme http, https (got "discord.com/api/webhooks/1/x")',
      '  - dev/slack: address: url scheme \'ftp\' not supported, can be: http, https (got "ftp://hooks.slack.com/services/x")',
    ]);
  });
});

describe('Alert', () => {
  test('every field, with constructs as provider and event sources, valid against the official schema', () => {
    const files = synthOne((dev) => {
      const slack = new Provider(dev, 'slack', { type: ProviderType.SLACK, channel: 'alerts', secretRef: 'slack-url' });
      const charts = new HelmRepository(dev, 'charts', { url: 'https://charts.example.com' });
      const app = new HelmRelease(dev, 'app', { repository: charts, chart: 'app' });
      new Alert(dev, 'releases', {
        provider: slack,
        eventSources: [
          NotificationObjectRef.fromObject(app),
          NotificationObjectRef.fromObject(charts),
          NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE, { namespace: 'apps', matchLabels: { team: 'web' } }),
          NotificationObjectRef.of(NotificationObjectKind.KUSTOMIZATION, 'infra', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1' }),
        ],
        eventSeverity: EventSeverity.ERROR,
        inclusionList: ['.*upgrade.*succeeded.*'],
        exclusionList: ['^Dependencies do not meet ready condition'],
        eventMetadata: { env: 'prod', cluster: 'eu-1' },
        suspend: true,
      });
    });
    expect(schemaViolations(files)).toEqual([]);
    expect(files[`${ALERTS}/releases.yaml`]).toEqual([
      '---',
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3',
      'kind: Alert',
      'metadata:',
      '  name: releases',
      '  namespace: flux-system',
      'spec:',
      '  eventMetadata:',
      '    cluster: eu-1',
      '    env: prod',
      '  eventSeverity: error',
      '  eventSources:',
      '  - kind: HelmRelease',
      '    name: app',
      '  - kind: HelmRepository',
      '    name: charts',
      '  - kind: HelmRelease',
      '    matchLabels:',
      '      team: web',
      '    name: \'*\'',
      '    namespace: apps',
      '  - apiVersion: kustomize.toolkit.fluxcd.io/v1',
      '    kind: Kustomization',
      '    name: infra',
      '  exclusionList:',
      '  - ^Dependencies do not meet ready condition',
      '  inclusionList:',
      '  - .*upgrade.*succeeded.*',
      '  providerRef:',
      '    name: slack',
      '  suspend: true',
      '',
    ].join('\n'));
  });

  test('addJsonPatch applies, and a patch that breaks the schema is refused', () => {
    const { repo, dev } = setup();
    const alert = new Alert(dev, 'a', { providerRef: 'slack', eventSources: [NotificationObjectRef.all(NotificationObjectKind.KUSTOMIZATION)] });
    alert.addJsonPatch(JsonPatch.replace('/spec/eventSources/0/kind', 'ConfigMap'));
    expect(synthError(repo).split('\n')[1]).toEqual(
      `  - dev/a: spec.eventSources.0.kind: must match the official Alert schema (notification.toolkit.fluxcd.io/v1beta3): must be one of ${Object.values(NotificationObjectKind).map((k) => `"${k}"`).join(', ')}; check the addJsonPatch/addOverride calls (got "ConfigMap")`,
    );
  });

  test('fails on a provider in another namespace or cluster, on both provider and providerRef, and on bad event sources', () => {
    const { outdir, repo, dev } = setup(true);
    const prod = new FluxCluster(repo, 'prod');
    const apps = new Provider(dev, 'apps-slack', { type: ProviderType.SLACK, namespace: 'apps', secretRef: 'slack-url' });
    const prodSlack = new Provider(prod, 'slack', { type: ProviderType.SLACK, secretRef: 'slack-url' });
    const prodRepo = new HelmRepository(prod, 'charts', { url: 'https://charts.example.com' });
    const secret = new SealedSecret(dev, 'creds', { data: { token: SecretValue.unsafePlainText('t0ken-value') } });
    new Alert(dev, 'a', { provider: apps, eventSources: [NotificationObjectRef.fromObject(prodRepo)] });
    new Alert(dev, 'b', { provider: prodSlack, eventSources: [] });
    new Alert(dev, 'c', { provider: apps, providerRef: 'slack', eventSources: [NotificationObjectRef.fromObject(secret)] });
    new Alert(dev, 'd', {
      providerRef: 'Slack',
      eventSeverity: 'warning' as any,
      eventSources: [
        NotificationObjectRef.of(NotificationObjectKind.HELM_RELEASE, 'app', { matchLabels: { team: 'web' } }),
        NotificationObjectRef.of('ConfigMap' as any, 'App_1'),
        NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE, { filter: 'true' }),
        NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE, { filter: 'true' }),
        'HelmRelease/app' as any,
        NotificationObjectRef.all(NotificationObjectKind.KUSTOMIZATION, { namespace: '*' }),
      ],
      inclusionList: ['(?=lookahead)', '(unclosed'],
    });
    new Alert(dev, 'e', { eventSources: [NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE), NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE)] } as any);
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 19 problems and wrote nothing:',
      '  - dev/a: provider: must be in the Alert\'s namespace \'flux-system\' (Flux looks providerRef up there): Provider \'apps-slack\' is in \'apps\'; set the namespace of one of them (got "apps-slack")',
      '  - dev/a: eventSources[0]: must refer to an object of the same cluster: \'prod/charts\' belongs to \'prod\' (got "charts")',
      '  - dev/b: provider: must be a Provider of the same cluster: \'prod/slack\' belongs to \'prod\' (got "slack")',
      '  - dev/b: eventSources: must list at least one object (NotificationObjectRef.fromObject(…), .of(…) or .all(…)), as flux create alert --event-source does (got [])',
      '  - dev/c: providerRef: must not be set with provider: give one of them (got "slack")',
      `  - dev/c: eventSources[0]: must be an object of a kind notification-controller knows (${Object.values(NotificationObjectKind).join(', ')}): 'dev/creds' is a SealedSecret (got "creds")`,
      '  - dev/d: providerRef: must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (got "Slack")',
      '  - dev/d: eventSources[0].matchLabels: needs the name \'*\' (Flux ignores matchLabels on a named object): use NotificationObjectRef.all(HelmRelease, { matchLabels }) (got {"team":"web"})',
      `  - dev/d: eventSources[1].kind: must be one of ${Object.keys(NotificationObjectKind).map((k) => `NotificationObjectKind.${k}`).join(', ')} (${Object.values(NotificationObjectKind).map((v) => `'${v}'`).join(', ')}) (got "ConfigMap")`,
      '  - dev/d: eventSources[1].name: must be an object name (a DNS-1123 subdomain), or \'*\' for every object of the kind (NotificationObjectRef.all) (got "App_1")',
      '  - dev/d: eventSources[2].filter: applies only to Receiver resources; an Alert filters events with inclusionList and exclusionList (got "true")',
      '  - dev/d: eventSources[3].filter: applies only to Receiver resources; an Alert filters events with inclusionList and exclusionList (got "true")',
      '  - dev/d: eventSources[4]: must be a NotificationObjectRef (NotificationObjectRef.fromObject(…), .of(…) or .all(…)) (got "HelmRelease/app")',
      '  - dev/d: eventSources[5].namespace: must name one namespace: notification-controller matches it exactly (there is no \'*\' for every namespace); give one reference per namespace (got "*")',
      '  - dev/d: eventSeverity: must be one of EventSeverity.INFO, EventSeverity.ERROR (\'info\', \'error\') (got "warning")',
      '  - dev/d: inclusionList[0]: must be a Go (RE2) regular expression: look-arounds and back-references are not supported (got "(?=lookahead)")',
      '  - dev/d: inclusionList[1]: must be a valid regular expression: unterminated group (got "(unclosed")',
      '  - dev/e: provider: is required: a Provider construct (or providerRef, the name of a Provider in the Alert\'s namespace)',
      '  - dev/e: eventSources[1]: must not repeat eventSources[0] (got "HelmRelease/*")',
    ]);
    expect(readTree(outdir)).toEqual({});
  });
});

describe('Receiver', () => {
  test('every field, with a SealedSecret and constructs as resources, valid against the official schema', () => {
    const { outdir, repo, dev } = setup(true);
    const token = new SealedSecret(dev, 'webhook-token', { data: { token: SecretValue.unsafePlainText('s3cret-token') } });
    const charts = new HelmRepository(dev, 'charts', { url: 'https://charts.example.com' });
    new Receiver(dev, 'github', {
      type: ReceiverType.GITHUB,
      events: ['ping', 'push'],
      interval: Duration.minutes(30),
      resources: [
        NotificationObjectRef.fromObject(charts),
        NotificationObjectRef.all(NotificationObjectKind.GIT_REPOSITORY, { matchLabels: { app: 'web' }, filter: 'res.metadata.name.startsWith("web")' }),
      ],
      resourceFilter: 'req.ref == "refs/heads/main"',
      secret: token,
      suspend: true,
    });
    repo.synth();
    const files = readTree(outdir);
    expect(schemaViolations(files)).toEqual([]);
    expect(files[`${RECEIVERS}/github.yaml`]).toEqual([
      '---',
      'apiVersion: notification.toolkit.fluxcd.io/v1',
      'kind: Receiver',
      'metadata:',
      '  name: github',
      '  namespace: flux-system',
      'spec:',
      '  events:',
      '  - ping',
      '  - push',
      '  interval: 30m0s',
      '  resourceFilter: req.ref == "refs/heads/main"',
      '  resources:',
      '  - kind: HelmRepository',
      '    name: charts',
      '  - filter: res.metadata.name.startsWith("web")',
      '    kind: GitRepository',
      '    matchLabels:',
      '      app: web',
      '    name: \'*\'',
      '  secretRef:',
      '    name: webhook-token',
      '  suspend: true',
      '  type: github',
      '',
    ].join('\n'));
  });

  test('generic-oidc with oidcProviders and no secret; every type passes the official schema', () => {
    const files = synthOne((dev) => {
      new Receiver(dev, 'actions', {
        type: ReceiverType.GENERIC_OIDC,
        resources: [NotificationObjectRef.of(NotificationObjectKind.OCI_REPOSITORY, 'app')],
        oidcProviders: [{
          issuerUrl: 'https://token.actions.githubusercontent.com',
          audience: 'flux',
          variables: [{ name: 'owner', expression: 'claims.repository_owner' }],
          validations: [{ expression: 'vars.owner == "acme"', message: 'not an acme repository' }],
        }],
      });
      for (const type of Object.values(ReceiverType)) {
        if (type === ReceiverType.GENERIC_OIDC) continue;
        new Receiver(dev, `t-${type}`, { type, secretRef: 'token', resources: [NotificationObjectRef.all(NotificationObjectKind.GIT_REPOSITORY)] });
      }
    });
    expect(schemaViolations(files)).toEqual([]);
    expect(files[`${RECEIVERS}/actions.yaml`]).toEqual([
      '---',
      'apiVersion: notification.toolkit.fluxcd.io/v1',
      'kind: Receiver',
      'metadata:',
      '  name: actions',
      '  namespace: flux-system',
      'spec:',
      '  oidcProviders:',
      '  - audience: flux',
      '    issuerURL: https://token.actions.githubusercontent.com',
      '    validations:',
      '    - expression: vars.owner == "acme"',
      '      message: not an acme repository',
      '    variables:',
      '    - expression: claims.repository_owner',
      '      name: owner',
      '  resources:',
      '  - kind: OCIRepository',
      '    name: app',
      '  type: generic-oidc',
      '',
    ].join('\n'));
  });

  test('webhookPath is the controller\'s: the annotation of flux create secret receiver gcr-secret --token=test-token --namespace=my-namespace (flux test data)', () => {
    // cmd/flux/testdata/create_secret/receiver/secret-receiver-gcr-audience.yaml: https://flux.example.com/hook/6d6c…
    const { dev } = setup();
    const receiver = new Receiver(dev, 'gcr-secret', {
      namespace: 'my-namespace', type: ReceiverType.GCR, secretRef: 'gcr-secret', resources: [NotificationObjectRef.all(NotificationObjectKind.OCI_REPOSITORY)],
    });
    expect(receiver.webhookPath('test-token')).toEqual('/hook/6d6c55e9affb9d1e0d101ce604ae4270880ec1ff24d1bd2d928fcd64243d21a4');
  });

  test('a resource of a kind notification-controller has no apiVersion for: written from a construct, asked for by hand', () => {
    const { outdir, repo, dev } = setup();
    const charts = new HelmRepository(dev, 'charts', { url: 'https://charts.example.com' });
    const app = new HelmRelease(dev, 'app', { repository: charts, chart: 'app', namespace: 'apps' });
    new Receiver(dev, 'ok', {
      type: ReceiverType.GENERIC,
      secretRef: 'token',
      resources: [
        NotificationObjectRef.fromObject(app),
        NotificationObjectRef.of(NotificationObjectKind.KUSTOMIZATION, 'apps', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1' }),
      ],
    });
    repo.synth();
    expect(readTree(outdir)[`${RECEIVERS}/ok.yaml`]).toContain([
      '  resources:',
      '  - apiVersion: helm.toolkit.fluxcd.io/v2',
      '    kind: HelmRelease',
      '    name: app',
      '    namespace: apps',
      '  - apiVersion: kustomize.toolkit.fluxcd.io/v1',
      '    kind: Kustomization',
      '    name: apps',
      '',
    ].join('\n'));

    const again = setup();
    new Receiver(again.dev, 'bad', {
      type: ReceiverType.GENERIC,
      secretRef: 'token',
      resources: [NotificationObjectRef.of(NotificationObjectKind.KUSTOMIZATION, 'apps'), NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE)],
    });
    expect(synthError(again.repo).split('\n')).toEqual([
      'synth found 2 problems and wrote nothing:',
      '  - dev/bad: resources[0].apiVersion: is required for a Kustomization: notification-controller has no default for it and fails with \'apiVersion must be specified for kind "Kustomization"\'; give { apiVersion: \'kustomize.toolkit.fluxcd.io/v1\' }',
      '  - dev/bad: resources[1].apiVersion: is required for a HelmRelease: notification-controller has no default for it and fails with \'apiVersion must be specified for kind "HelmRelease"\'; give { apiVersion: \'helm.toolkit.fluxcd.io/v2\' }',
    ]);
  });

  test('fails without a secret, with the wrong keys, with oidc fields on other types, and without resources', () => {
    const { outdir, repo, dev } = setup(true);
    const noToken = new SealedSecret(dev, 'gcr-token', { data: { token: SecretValue.unsafePlainText('s3cret-token') } });
    const all = NotificationObjectRef.all(NotificationObjectKind.IMAGE_REPOSITORY);
    new Receiver(dev, 'a', { type: ReceiverType.GITHUB, resources: [all] });
    new Receiver(dev, 'b', { type: ReceiverType.GCR, secret: noToken, resources: [all] });
    new Receiver(dev, 'c', { type: ReceiverType.GENERIC_OIDC, secretRef: 'token', resources: [all] });
    new Receiver(dev, 'd', {
      type: ReceiverType.GENERIC,
      secretRef: 'token',
      resources: [all],
      oidcProviders: [{ issuerUrl: 'https://issuer.example.com', validations: [] }],
    });
    new Receiver(dev, 'e', {
      type: ReceiverType.GENERIC_OIDC,
      resources: undefined as any,
      interval: '10m' as any,
      events: [''],
      oidcProviders: [{ issuerUrl: 'issuer.example.com', validations: [] }],
    });
    expect(synthError(repo).split('\n')).toEqual([
      'synth found 10 problems and wrote nothing:',
      '  - dev/a: secretRef: is required for a github Receiver: the name of a Secret with the key \'token\' (or secret, a SealedSecret)',
      '  - dev/b: secret: must have the keys \'email\', \'audience\', which notification-controller reads (SealedSecret \'gcr-token\' has \'token\') (got "gcr-token")',
      '  - dev/c: secretRef: must not be set for a generic-oidc Receiver: it authenticates requests with the OIDC token (got "token")',
      '  - dev/c: oidcProviders: must list at least one OIDC provider for a generic-oidc Receiver',
      '  - dev/d: oidcProviders: applies only to ReceiverType.GENERIC_OIDC, not to \'generic\' (got 1)',
      '  - dev/e: resources: must list at least one object (NotificationObjectRef.fromObject(…), .of(…) or .all(…)), as flux create receiver --resource does',
      '  - dev/e: events[0]: must be an event type name (a non-empty string) (got "")',
      '  - dev/e: interval: must be a Duration such as Duration.minutes(10), not a string or a number (got "10m")',
      '  - dev/e: oidcProviders[0].issuerUrl: must be the issuer\'s http(s):// URL, as in the tokens\' iss claim (got "issuer.example.com")',
      '  - dev/e: oidcProviders[0].validations: must list at least one rule on the token\'s claims: a valid signature alone does not say who called (for example { expression: "claims.repository_owner == \'acme\'", message: \'not an acme repository\' }) (got [])',
    ]);
    expect(readTree(outdir)).toEqual({});
  });
});

describe('docs/notifications.md', () => {
  test('the example (Slack alerts for every HelmRelease, a GitHub receiver) writes the alert the page shows, and valid objects', () => {
    const saved = { ...process.env };
    process.env.SLACK_WEBHOOK_URL = 'https://hooks.slack.com/services/T000/B000/XXXX';
    process.env.GITHUB_WEBHOOK_TOKEN = 'a-long-random-webhook-token';
    try {
      const { outdir, repo, dev } = setup(true);
      const podinfo = new HelmRepository(dev, 'podinfo', { url: 'https://stefanprodan.github.io/podinfo' });
      new HelmRelease(dev, 'frontend', { repository: podinfo, chart: 'podinfo', namespace: 'web' });
      new HelmRelease(dev, 'backend', { repository: podinfo, chart: 'podinfo', namespace: 'api' });
      const slackUrl = new SealedSecret(dev, 'slack-url', { data: { address: SecretValue.fromEnv('SLACK_WEBHOOK_URL') } });
      const slack = new Provider(dev, 'slack', { type: ProviderType.SLACK, channel: 'fleet-dev', secret: slackUrl });
      const namespaces = [...new Set(dev.node.findAll()
        .filter((c): c is HelmRelease => c instanceof HelmRelease)
        .map((release) => release.namespace))].sort();
      new Alert(dev, 'helm-releases', {
        provider: slack,
        eventSources: namespaces.map((namespace) => NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE, { namespace })),
        eventSeverity: EventSeverity.INFO,
        eventMetadata: { cluster: 'dev' },
        exclusionList: ['^Dependencies do not meet ready condition'],
      });
      const webhookToken = new SealedSecret(dev, 'github-webhook-token', { data: { token: SecretValue.fromEnv('GITHUB_WEBHOOK_TOKEN') } });
      new Receiver(dev, 'github', {
        type: ReceiverType.GITHUB,
        events: ['ping', 'push'],
        secret: webhookToken,
        resources: [NotificationObjectRef.of(NotificationObjectKind.GIT_REPOSITORY, 'flux-system')],
      });
      repo.synth();
      const files = readTree(outdir);
      expect(schemaViolations(files)).toEqual([]);
      expect(Object.keys(files).filter((f) => f.includes('/notifications/'))).toEqual([
        `${ALERTS}/helm-releases.yaml`, `${PROVIDERS}/slack.yaml`, `${RECEIVERS}/github.yaml`,
      ]);
      const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'notifications.md'), 'utf8');
      const shown = /The alert:\n\n```yaml\n([\s\S]*?)```/.exec(page)?.[1];
      expect(files[`${ALERTS}/helm-releases.yaml`]).toEqual(shown);
    } finally {
      process.env = saved;
    }
  });
});

describe('every field of the notification CRDs has a prop', () => {
  /** The leaf fields under spec of a kind, from the bundled schemas (lists as `[]`, maps as `{}`). */
  function specLeaves(key: string): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('../lib/vendor/flux-schemas.cjs');
    const out: string[] = [];
    const walk = (id: number, at: string) => {
      if (id < 0) {
        out.push(at);
        return;
      }
      const node = bundle.fieldNodes[id];
      const fields = Object.keys(node.p);
      if (fields.length === 0 && node.m !== undefined) {
        out.push(`${at}{}`);
        return;
      }
      for (const f of fields) walk(node.p[f], at ? `${at}.${f}` : f);
    };
    walk(bundle.fieldNodes[bundle.fieldRoots[key]].p.spec, '');
    return out.sort();
  }

  const REF = 'NotificationObjectRef';
  // Leaf field -> the prop that writes it. Deprecated fields have none, on purpose (addOverride reaches them).
  // Receiver's oidcProviders and resources[].filter are newer than the bundled schemas (NEWER_FIELDS in
  // src/checks/schema.ts): the props oidcProviders and NotificationObjectRef's filter write them.
  const PROPS: Record<string, Record<string, string>> = {
    'notification.toolkit.fluxcd.io/v1beta3/Provider': {
      'address': 'address',
      'certSecretRef.name': 'certSecretRef / certSecret',
      'channel': 'channel',
      'commitStatusExpr': 'commitStatusExpr',
      'proxySecretRef.name': 'proxySecretRef / proxySecret',
      'secretRef.name': 'secretRef / secret',
      'serviceAccountName': 'serviceAccountName',
      'suspend': 'suspend',
      'timeout': 'timeout',
      'type': 'type',
      'username': 'username',
      'interval': 'DEPRECATED: "Deprecated and not used in v1beta3"',
      'proxy': 'DEPRECATED: "Use ProxySecretRef instead"',
    },
    'notification.toolkit.fluxcd.io/v1beta3/Alert': {
      'eventMetadata{}': 'eventMetadata',
      'eventSeverity': 'eventSeverity',
      'eventSources.apiVersion': `${REF} apiVersion`,
      'eventSources.kind': `${REF} kind`,
      'eventSources.matchLabels{}': `${REF} matchLabels`,
      'eventSources.name': `${REF} name`,
      'eventSources.namespace': `${REF} namespace`,
      'exclusionList': 'exclusionList',
      'inclusionList': 'inclusionList',
      'providerRef.name': 'provider / providerRef',
      'suspend': 'suspend',
      'summary': 'DEPRECATED: "Use EventMetadata instead"',
    },
    'notification.toolkit.fluxcd.io/v1/Receiver': {
      'events': 'events',
      'interval': 'interval',
      'resourceFilter': 'resourceFilter',
      'resources.apiVersion': `${REF} apiVersion`,
      'resources.kind': `${REF} kind`,
      'resources.matchLabels{}': `${REF} matchLabels`,
      'resources.name': `${REF} name`,
      'resources.namespace': `${REF} namespace`,
      'secretRef.name': 'secretRef / secret',
      'suspend': 'suspend',
      'type': 'type',
    },
  };

  test.each(Object.keys(PROPS))('%s', (key) => {
    expect(specLeaves(key)).toEqual(Object.keys(PROPS[key]).sort());
  });
});

describe('YAML 1.1 and 1.2 read the strings the same', () => {
  test('a channel with #, a username like a boolean, metadata like numbers and dates are quoted', () => {
    const files = synthOne((dev) => {
      const slack = new Provider(dev, 'slack', { type: ProviderType.SLACK, channel: '#fleet', username: 'yes', secretRef: 'slack-url' });
      new Alert(dev, 'a', {
        provider: slack,
        eventSources: [NotificationObjectRef.all(NotificationObjectKind.HELM_RELEASE)],
        eventMetadata: { version: '1.10', since: '2024-01-01', on: 'off' },
      });
    });
    expect(files[`${PROVIDERS}/slack.yaml`]).toContain('  channel: \'#fleet\'\n');
    expect(files[`${PROVIDERS}/slack.yaml`]).toContain('  username: "yes"\n');
    expect(files[`${ALERTS}/a.yaml`]).toContain([
      '  eventMetadata:',
      '    "on": "off"',
      '    since: "2024-01-01"',
      '    version: "1.10"',
      '',
    ].join('\n'));
  });
});

test.each([['Provider', Provider], ['Alert', Alert], ['Receiver', Receiver]] as const)('%s: null props from a JavaScript caller are refused by name', (name, C) => {
  const dev = new FluxCluster(new GitOpsRepo({ outdir: mkdtemp() }), 'dev');
  expect(() => new (C as any)(dev, 'x', null)).toThrow(`dev/x: props: must be an object of ${name}Props (got null)`);
});
