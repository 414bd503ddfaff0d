// Says which configuration reached it: its own variables and those of the linked add-ons.
const http = require('http');
const has = (name) => (process.env[name] ? 'yes' : 'no');
http.createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`greeting=${process.env.GREETING} env=${process.env.NODE_ENV} database=${has('DATABASE_URL')} redis=${has('REDIS_URL')}\n`);
}).listen(process.env.PORT || 8080);
