// Child-process entry for the s3 fixture: runs s3rver on 127.0.0.1 and prints one "ready" JSON line.
// Usage: node s3rver-main.mjs DIRECTORY BUCKET
// A separate process (not in-process) so a test can SIGTERM or SIGKILL the server by pid, like a real remote.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error('usage: s3rver-main.mjs DIRECTORY BUCKET');
  process.exit(2);
}
// Port 0: the kernel picks a free port at bind time, so there is no probe-then-bind race.
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: false,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
console.log(JSON.stringify({ ready: true, port }));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close().finally(() => process.exit(0));
    // Keep-alive connections can hold close() open; do not let them delay the test.
    setTimeout(() => process.exit(0), 500).unref();
  });
}
