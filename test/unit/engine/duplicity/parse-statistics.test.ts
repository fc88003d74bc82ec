import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatistics } from '../../../../agent/engine/duplicity/parse-statistics.js';

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
