<?php
// Nuage example: a form login kept in a PHP session. Sessions are files in the app's data directory, shared by
// every instance and kept across deployments, so the login holds whichever instance answers.
header('content-type: text/plain; charset=utf-8');
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path === '/health') {
    echo "ok\n";
    return;
}

if ($path === '/login' && $_SERVER['REQUEST_METHOD'] === 'POST') {
    $user = trim((string) ($_POST['user'] ?? ''));
    $password = getenv('LOGIN_PASSWORD') ?: 'nuage';
    if ($user === '' || !hash_equals($password, (string) ($_POST['password'] ?? ''))) {
        http_response_code(403);
        echo "denied\n";
        return;
    }

    session_start();
    session_regenerate_id(true);
    $_SESSION['user'] = $user;
    header('Location: /', true, 303);
    echo "welcome $user\n";
    return;
}

if ($path === '/logout') {
    session_start();
    $_SESSION = [];
    session_destroy();
    echo "bye\n";
    return;
}

if ($path === '/session-settings') {
    // What the platform configured (tests and curious users): handler, garbage collection odds.
    printf("handler=%s gc=%s/%s\n", ini_get('session.save_handler'), ini_get('session.gc_probability'), ini_get('session.gc_divisor'));
    return;
}

// Only resume a session the browser already has: anonymous visits leave no file behind.
if (isset($_COOKIE[session_name()])) {
    session_start(['read_and_close' => true]);
}

printf("user=%s instance=%s\n", $_SESSION['user'] ?? '-', (string) getenv('INSTANCE_NUMBER'));
