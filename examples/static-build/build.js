// A stand-in for a site generator: copies src/ to dist/, filling in the build time. No npm packages needed.
const fs = require('fs');
const path = require('path');

fs.rmSync('dist', { recursive: true, force: true });
fs.mkdirSync('dist');
for (const name of fs.readdirSync('src')) {
  const text = fs.readFileSync(path.join('src', name), 'utf8');
  fs.writeFileSync(path.join('dist', name), text.replace('{{built}}', 'built=yes'));
}
console.log(`built ${fs.readdirSync('dist').length} files into dist/`);
