<?php
// Served from the webroot set in clevercloud/php.json; says which configuration reached it.
header('content-type: text/plain; charset=utf-8');
printf(
    "greeting=%s env=%s database=%s\n",
    (string) getenv('GREETING'),
    (string) getenv('APP_ENV'),
    getenv('POSTGRESQL_ADDON_HOST') === false ? 'no' : 'yes'
);
