// Nuage example: answers on $PORT with its runtime, INSTANCE_NUMBER and GREETING; /health says ok.
const http = require("node:http");

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.end("ok\n");
    return;
  }
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(`runtime=node instance=${process.env.INSTANCE_NUMBER ?? ""} greeting=${process.env.GREETING ?? ""}\n`);
});
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
