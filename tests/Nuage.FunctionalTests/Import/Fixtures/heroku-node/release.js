// Heroku release phase: runs once per release, before it serves (a real app would migrate its database here).
console.log(`release phase ran with NODE_ENV=${process.env.NODE_ENV}`);
