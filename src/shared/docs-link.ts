/**
 * An absolute link to a page of tsalchemy's documentation, for error messages. The package ships
 * its `docs/` folder, so the link points at the pages of the installed version (the same two
 * levels up from `src/shared/` in the repository and from `dist/shared/` in the package):
 * `file:///app/node_modules/tsalchemy/docs/loading.md#missinggreenlet`. A relative
 * `docs/loading.md` in a message would resolve against the application's own folder instead.
 */
export function docsLink(pageAndAnchor: string): string {
  return new URL(`../../docs/${pageAndAnchor}`, import.meta.url).href;
}
