// The capture's two walks (getfattr for xattrs, find for everything else): side by side, or,
// when the caller decides from the find walk whether the capture is needed at all (change
// detection), find first and getfattr only if it is. An unchanged container then costs one walk.

// Runs both walks and returns their results, or undefined when `afterWalk` said stop.
export async function runWalks<X, W>(
  xattrs: () => Promise<X>,
  walk: () => Promise<W>,
  afterWalk?: () => Promise<boolean>,
): Promise<[X, W] | undefined> {
  if (!afterWalk) {
    // Side by side (each mostly waits on the kernel). Both are waited for before a failure is
    // thrown, so none writes after the caller's cleanup.
    const [x, w] = await Promise.allSettled([xattrs(), walk()]);
    if (x.status === 'rejected') throw x.reason;
    if (w.status === 'rejected') throw w.reason;
    return [x.value, w.value];
  }
  const walked = await walk();
  if (!(await afterWalk())) return undefined;
  return [await xattrs(), walked];
}
