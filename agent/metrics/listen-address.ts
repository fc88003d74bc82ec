// The metrics endpoint's address from `metrics.listen`: a bare port means loopback only.

// Host and port to listen on.
export function listenAddress(listen: number | string): { host: string; port: number } {
  if (typeof listen === 'number') return { host: '127.0.0.1', port: listen };
  const at = listen.lastIndexOf(':');
  return { host: listen.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(at + 1)) };
}
