// node:http and node:https as CommonJS modules. Why not `import http from 'node:http'`: an ESM
// import of a built-in builds a facade that reads every export once, and node:http's lazy
// WebSocket/EventSource getters then load Node's bundled undici — about 13 MB of resident memory
// for the life of an operator that never uses it. Types still come from `import type`.
export const http = process.getBuiltinModule('node:http');
export const https = process.getBuiltinModule('node:https');
