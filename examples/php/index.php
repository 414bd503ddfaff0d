<?php
// Nuage example: prints its runtime, INSTANCE_NUMBER and GREETING; /health says ok.
header('content-type: text/plain; charset=utf-8');
if (parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) === '/health') {
    echo "ok\n";
    return;
}
// (string) turns an unset variable (false) into '' but keeps "0".
printf("runtime=php instance=%s greeting=%s\n", (string) getenv('INSTANCE_NUMBER'), (string) getenv('GREETING'));
