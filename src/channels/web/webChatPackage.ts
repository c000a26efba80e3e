/**
 * The chat page uses one file of Microsoft Web Chat, its full browser bundle (with Adaptive Cards and
 * markdown), and serves it with the notice of the licences of what the bundle holds. `npm run build`
 * (scripts/fetchWebChat.ts) takes both from this exact botframework-webchat tarball into
 * node_modules/.cache, instead of installing the package: its tree of dependencies is some 470 MB.
 */
import { join } from 'node:path';

export interface PinnedPackage {
  name: string;
  version: string;
  /** The registry's sha512 integrity of the tarball, as in package-lock.json. */
  integrity: string;
  /** The files wanted, by their path inside the tarball. */
  files: readonly string[];
}

export const WEB_CHAT: PinnedPackage = {
  name: 'botframework-webchat',
  version: '4.18.1',
  integrity: 'sha512-7jpEUJ7olT62Xm+8eh7BhhIcXVfU2xD4pZDaeBt8K4XcNy6K/83UGIxE9BFkXmHMZ4hDEVOzs5cre07GWuaXzg==',
  files: ['package/dist/webchat.js', 'package/dist/webchat.js.LICENSE.txt'],
};

/** Where the build puts the pinned package's files, by their base names. */
export function pinnedFilesFolder(root: string, pinned: PinnedPackage = WEB_CHAT): string {
  return join(root, 'node_modules', '.cache', 'faq-assistant', `${pinned.name}-${pinned.version}`);
}
