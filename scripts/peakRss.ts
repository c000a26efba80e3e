/**
 * Preloaded (node --import) into a command that `npm run bench` measures: at exit, writes the
 * process's peak RSS to standard error as `peak RSS: <kilobytes> KB`.
 */
process.on('exit', () => {
  process.stderr.write(`peak RSS: ${process.resourceUsage().maxRSS} KB\n`);
});
