import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatistics } from '../../../../agent/engine/duplicity/parse-statistics.js';
import { parseVersion } from '../../../../agent/engine/duplicity/parse-version.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/duplicity/${name}`, import.meta.url), 'utf8');

describe('parseStatistics', () => {
  it.each([
    [
      '0.8.22 full, stdout',
      '0.8.22/noenc-full1.stdout',
      {
        elapsedSeconds: 0.01,
        sourceFiles: 12,
        sourceFileSize: 8220,
        newFiles: 12,
        changedFiles: 0,
        deletedFiles: 0,
        rawDeltaSize: 19,
        totalDestinationSizeChange: 557,
        errors: 0,
      },
    ],
    [
      '0.8.22 inc, stdout',
      '0.8.22/enc-inc1.stdout',
      {
        elapsedSeconds: 0.01,
        sourceFiles: 14,
        sourceFileSize: 8241,
        newFiles: 2,
        changedFiles: 1,
        deletedFiles: 0,
        rawDeltaSize: 26,
        totalDestinationSizeChange: 270,
        errors: 0,
      },
    ],
    [
      '0.8.22 inc, machine log',
      '0.8.22/enc-inc1.logfd',
      {
        elapsedSeconds: 0.01,
        sourceFiles: 14,
        sourceFileSize: 8241,
        newFiles: 2,
        changedFiles: 1,
        deletedFiles: 0,
        rawDeltaSize: 26,
        totalDestinationSizeChange: 270,
        errors: 0,
      },
    ],
  ])('%s', (_name, file, expected) => {
    expect(parseStatistics(fixture(file))).toEqual(expected);
  });

  it('reads a 3.0.x block with large numbers', () => {
    const text = `--------------[ Backup Statistics ]--------------
StartTime 1741053600.12 (Tue Mar  4 02:00:00 2025)
EndTime 1741057323.98 (Tue Mar  4 03:02:03 2025)
ElapsedTime 3723.86 (1 hour 2 minutes 3.86 seconds)
SourceFiles 48211
SourceFileSize 2147483648000 (1.95 TB)
NewFiles 17
NewFileSize 4096 (4.00 KB)
DeletedFiles 3
ChangedFiles 120
ChangedFileSize 9000000 (8.58 MB)
ChangedDeltaSize 0 (0 bytes)
DeltaEntries 140
RawDeltaSize 123456 (120 KB)
TotalDestinationSizeChange 65432 (63.9 KB)
Errors 2
-------------------------------------------------
`;
    expect(parseStatistics(text)).toEqual({
      elapsedSeconds: 3723.86,
      sourceFiles: 48211,
      sourceFileSize: 2147483648000,
      newFiles: 17,
      changedFiles: 120,
      deletedFiles: 3,
      rawDeltaSize: 123456,
      totalDestinationSizeChange: 65432,
      errors: 2,
    });
  });

  it('is undefined without a block and throws on a block missing a field', () => {
    expect(parseStatistics(fixture('0.8.22/lock-inc.stderr'))).toBeUndefined();
    expect(() => parseStatistics('--------------[ Backup Statistics ]--------------\nElapsedTime 1.0 (1 second)\n----\n')).toThrow(
      /no SourceFiles line/,
    );
  });
});

describe('parseVersion', () => {
  it.each([
    ['captured 0.8.22', fixture('0.8.22/version.stdout'), { major: 0, minor: 8, patch: 22, text: '0.8.22' }],
    ['3.0.3.2', 'duplicity 3.0.3.2\n', { major: 3, minor: 0, patch: 3, text: '3.0.3.2' }],
    ['3.0.4', 'duplicity 3.0.4', { major: 3, minor: 0, patch: 4, text: '3.0.4' }],
    ['2.2.1.dev2', 'duplicity 2.2.1.dev2', { major: 2, minor: 2, patch: 1, text: '2.2.1.dev2' }],
  ])('%s', (_name, text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it('is undefined for other output', () => {
    expect(parseVersion('bash: duplicity: command not found')).toBeUndefined();
  });
});
