"""The HTTP server of bench/run.sh's port-forward benchmark, run as the `web` pod's process.

usage: pod-http-server.py PORT   (listens on $KUBEHOP_POD_IP, the pod's IP the runtime exports)

HTTP/1.1 keep-alive, one fixed 612-byte page (the size of nginx's welcome page) for every request, each answer
written in one send with TCP_NODELAY (asyncio's default): tens of thousands of requests a second on one core,
far more than a port-forward carries, so that wrk measures the forward. The runtime's own nginx image (a JDK
HttpServer) is no good here: its answers wait for delayed ACKs, about 40 ms each.
"""

import asyncio
import os
import sys

BODY = b"x" * 612
ANSWER = (
    b"HTTP/1.1 200 OK\r\nServer: kubehop-bench\r\nContent-Type: text/html\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY)
) + BODY


class Http(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.pending = transport, b""

    def data_received(self, data):
        # wrk sends bodiless GETs: one answer per complete request head
        self.pending += data
        heads = self.pending.count(b"\r\n\r\n")
        if heads:
            self.pending = self.pending[self.pending.rfind(b"\r\n\r\n") + 4 :]
            self.transport.write(ANSWER * heads)


async def main(host, port):
    server = await asyncio.get_running_loop().create_server(Http, host, port, backlog=1024)
    print(f"listening on {host}:{port}", flush=True)
    await server.serve_forever()


asyncio.run(main(os.environ.get("KUBEHOP_POD_IP", "127.0.0.1"), int(sys.argv[1])))
