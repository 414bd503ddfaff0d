<?php
// Nuage example: prints its runtime, INSTANCE_NUMBER and GREETING; /health says ok.
header('content-type: text/plain; charset=utf-8');
if (parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) === '/health') {
    echo "ok\n";
    return;
}
printf("runtime=php instance=%s greeting=%s\n", getenv('INSTANCE_NUMBER') ?: '', getenv('GREETING') ?: '');
