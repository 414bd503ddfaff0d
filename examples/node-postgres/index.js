// Nuage example: stores notes in a linked PostgreSQL add-on (DATABASE_URL, or POSTGRESQL_ADDON_URI as on Clever Cloud).
// GET /notes lists them, POST /notes with a text body adds one, /health says ok.
const http = require("node:http");
const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL || process.env.POSTGRESQL_ADDON_URI, max: 4 });
const ready = pool.query("CREATE TABLE IF NOT EXISTS notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL)");

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === "/health") {
      res.end("ok\n");
      return;
    }
    await ready;
    if (req.url === "/notes" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      await pool.query("INSERT INTO notes (body) VALUES ($1)", [body]);
      res.statusCode = 201;
      res.end("added\n");
      return;
    }
    if (req.url === "/notes") {
      const { rows } = await pool.query("SELECT body FROM notes ORDER BY id");
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(rows.map((r) => r.body).join("\n") + "\n");
      return;
    }
    res.statusCode = 404;
    res.end("not found\n");
  } catch (e) {
    res.statusCode = 500;
    res.end(`database error: ${e.message}\n`);
  }
});

const port = Number(process.env.PORT || 8080);
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
