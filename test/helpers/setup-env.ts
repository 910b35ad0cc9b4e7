// jsforce reads proxy variables at import time and ignores NO_PROXY, so loopback traffic to the
// sandbox would be sent to a proxy. Tests only ever talk to 127.0.0.1.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY']) {
  delete process.env[name]
}
