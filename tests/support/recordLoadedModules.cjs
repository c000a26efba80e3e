// Preloaded (node --require) by tests/reliability/loadedModules.test.ts: at exit, writes the files that the
// CommonJS loader has loaded (which includes CommonJS packages imported from ES modules) to LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\n')));
