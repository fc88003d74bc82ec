// Throwaway S3-compatible server (s3rver) on 127.0.0.1 for S3-target integration tests.
//
// duplicity 0.8.22 against this fixture (verified in test/integration/target-fixtures.test.ts):
//   env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
//   duplicity full --no-encryption --s3-endpoint-url http://127.0.0.1:<port> SRC boto3+s3://<bucket>/<prefix>
// boto3 reads the credentials from the environment only (never argv). The bucket must exist:
// the boto3 backend does head_bucket and fails fatally ("S3 bucket ... does not exist") otherwise.
// duplicity 3.0.x registers the same backend for both "s3://" and "boto3+s3://"; with boto3 >= 1.36
// against non-AWS servers it suggests AWS_REQUEST_CHECKSUM_CALCULATION=when_required (s3rver over
// plain http works with boto3 1.43 without it).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startFixtureProcess } from './fixture-process.js';
import { makeTempDir, removeDir } from './temp.js';

// A running s3rver and the credentials it accepts (s3rver's fixed test keys).
export interface S3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  // Where s3rver keeps the objects on disk.
  dir: string;
  // Pid of the s3rver child process, so tests can check that stop() ended it.
  pid: number;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./s3rver-main.mjs', import.meta.url));
const READY = /\{"ready":true,"port":(\d+)\}/;

// Starts s3rver as a child node process with one empty bucket.
export async function startS3(bucket = 'lxc-backup-test'): Promise<S3Server> {
  const dir = await makeTempDir('s3');
  try {
    const store = join(dir, 'store');
    const daemon = await startFixtureProcess(process.execPath, [MAIN, store, bucket], { ready: READY });
    const port = Number(READY.exec(daemon.output())?.[1]);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      dir: store,
      pid: daemon.pid,
      async stop() {
        await daemon.stop();
        await removeDir(dir);
      },
    };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}
