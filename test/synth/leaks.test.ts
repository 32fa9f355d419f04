import { findAll } from '../../src/synth/leaks';

describe('findAll (many-needle search for plain-text leaks)', () => {
  test('finds every occurrence of every needle, at the start, the end and overlapping', () => {
    const text = 'password-1 and password-10, then password-1';
    expect(findAll(text, ['password-1', 'password-10', 'not-there-at-all'])).toEqual([
      { needle: 0, offset: 0 },
      { needle: 0, offset: 15 },
      { needle: 1, offset: 15 },
      { needle: 0, offset: 33 },
    ]);
  });

  test('agrees with indexOf on a seeded random text', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab';
    const text = Array.from({ length: 5000 }, () => alphabet[Math.floor(rand() * 2)]).join('');
    const needles = Array.from({ length: 50 }, () => Array.from({ length: 8 + Math.floor(rand() * 4) }, () => alphabet[Math.floor(rand() * 2)]).join(''));
    const expected: { needle: number; offset: number }[] = [];
    for (let i = 0; i < text.length; i++) needles.forEach((n, k) => text.startsWith(n, i) && expected.push({ needle: k, offset: i }));
    expect(findAll(text, needles)).toEqual(expected);
  });

  test('needles that share a long prefix each find only their own occurrences', () => {
    const needles = Array.from({ length: 200 }, (_, i) => `password-shared-prefix-${i}-${'x'.repeat(10)}`);
    const text = `${needles[7]} password-shared-prefix- ${needles[150]}${needles[7]}`;
    expect(findAll(text, needles)).toEqual([
      { needle: 7, offset: 0 },
      { needle: 150, offset: text.indexOf(needles[150]) },
      { needle: 7, offset: text.lastIndexOf(needles[7]) },
    ]);
  });

  test('refuses needles shorter than its window', () => {
    expect(() => findAll('text', ['short'])).toThrow('needle 0 is shorter than 8 characters');
  });
});
