/**
 * The path itself, then each ancestor up to "/" (PathParentIterator.forAll): "/a/b" yields
 * "/a/b", "/a", "/". Assumes a validated absolute path.
 */
export function* pathAndAncestors(path: string): Generator<string> {
  let p = path;
  while (p !== '') {
    yield p;
    if (p === '/') return;
    const cut = p.lastIndexOf('/');
    p = cut <= 0 ? '/' : p.slice(0, cut);
  }
}
