/** A step of `npm run build`: the brotli and gzip copies of the chat page's files (see src/channels/web/assets.ts). */
import { pageAssets } from '../src/channels/web/assets.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

for (const asset of pageAssets(PROJECT_ROOT).values()) asset.precompress();
