"""Writes the malformed-input corpus (e2e/src/test/resources/malformed/, docs/reliability.md) again:
python3 e2e/src/test/malformed-corpus/make_corpus.py. The .hex files are the fixtures; this only made them."""
import os, struct, zlib
import spdy
from spdy import Client, ctrl, data, ping, rst, window_update, settings
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'malformed')
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT): os.remove(os.path.join(OUT, f))

def write(name, head, lines):
    with open(os.path.join(OUT, name + '.hex'), 'w') as f:
        for h in head: f.write('# ' + h + '\n' if h else '#\n')
        for l in lines: f.write(l + '\n')

def hx(name, b, n=None):
    return 'C>S %s %s' % (name + ('*%d' % n if n else ''), b.hex())
def txt(name, s, n=None):
    e = s.replace('\\', '\\\\').replace('"', '\\"').replace('\r', '\\r').replace('\n', '\\n')
    return 'C>S %s "%s"' % (name + ('*%d' % n if n else ''), e)

SPDY_API = ['target: apiserver', 'phase: spdy']
SPDY_KUBELET = ['target: kubelet', 'phase: spdy']
STREAMS = 'kubectl\'s first SYN_STREAMs (error, stdin, stdout; empty priority, one zlib context)'
def opening(c):
    return [hx('syn-stream-error', c.syn(1, b'error')), hx('syn-stream-stdin', c.syn(3, b'stdin')), hx('syn-stream-stdout', c.syn(5, b'stdout'))]

# ---- SPDY ----
c = Client(); f = c.syn(1, b'error')
write('spdy-01-truncated-syn-stream', ['A SYN_STREAM cut after 20 of its %d bytes, then the client half-closes (FIN).' % len(f)] + SPDY_API + [
  'expect: close',
  'The frame never completes: the runtime, which terminates the spliced SPDY, sees EOF inside a frame.'],
  [hx('syn-stream-error-first-20-bytes', f[:20]), 'C>S eof'])

c = Client()
write('spdy-02-data-length-past-the-end', ['A DATA frame on stream 3 (stdin) that declares 16 MiB - 1 and carries 3 bytes; then FIN.'] + SPDY_API + [
  'expect: close', 'The length runs past the end of the connection; nothing of it can be delivered as a frame.'],
  opening(c) + [hx('data-3-length-ffffff', data(3, b'hi\n', length=0xffffff)), 'C>S eof'])

write('spdy-03-ping-length-past-its-body', ['A PING whose length field says 8 (a PING body is exactly 4 bytes).'] + SPDY_API + [
  'expect: goaway PROTOCOL_ERROR',
  'SPDY/3.1 2.6.5: PING length is 4; a frame that cannot be parsed is a session error (2.4.1).'],
  [hx('ping-1-length-8', ctrl(6, 0, struct.pack('>II', 1, 0)))])

write('spdy-04-oversized-header-block', ['A SYN_STREAM that declares a 16 MiB - 1 control frame (the header block alone); only its 8-byte header and 10 bytes are sent.'] + SPDY_API + [
  'expect: goaway PROTOCOL_ERROR',
  'kubehop buffers control frames whole and refuses any over 1 MiB (SpdyFrameDecoder.MAX_CONTROL_FRAME) as soon as',
  'the frame header arrives, without reading the rest.'],
  [hx('syn-stream-1-length-ffffff', ctrl(1, 0, struct.pack('>II', 1, 0) + b'\x00\x00', length=0xffffff))])

c = Client()
bomb = c.syn(1, b'', raw_headers=[(b'streamtype', b'error'), (b'x-bomb', b'\x00' * (16 * 1024 * 1024))])
write('spdy-05-zlib-bomb-header-block', ['A SYN_STREAM whose %d-byte header block inflates to 16 MiB (one header value of zeros).' % (len(bomb) - 18)] + SPDY_API + [
  'expect: goaway PROTOCOL_ERROR',
  'HeaderBlockDecoder stops inflating at 256 KiB (MAX_DECOMPRESSED): the 16 MiB are never allocated.'],
  [hx('syn-stream-1-bomb', bomb)])

write('spdy-06-unknown-control-frame-types', ['Control frames of types 5 (NOOP, SPDY/2), 10 (CREDENTIAL, SPDY/3) and 0xffff, with bodies; then PING 1.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'SPDY/3.1 2.2.1: a receiver ignores control frames of unknown type. (spdystream would fail the whole connection.)'],
  [hx('control-type-5', ctrl(5, 0, b'')), hx('control-type-10', ctrl(10, 0, b'\x00\x01\x02\x03')), hx('control-type-65535', ctrl(0xffff, 0xff, b'\xde\xad\xbe\xef' * 4)), hx('ping-1', ping(1))])

write('spdy-07-unknown-version', ['A PING with version 2, then one with version 0x7fff, then a version-3 PING 5.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'kubehop does not check the control-frame version, as spdystream; it answers every PING (the echo of a',
  'version-2 PING is a version-3 PING). SPDY/3.1 wants UNSUPPORTED_VERSION (stream error) for a SYN_STREAM only.'],
  [hx('ping-1-version-2', ping(1, 2)), hx('ping-3-version-7fff', ping(3, 0x7fff)), hx('ping-5', ping(5))])

c = Client()
write('spdy-08-stream-id-reused', [STREAMS + ', then a second SYN_STREAM 3.'] + SPDY_API + [
  'expect: rst_stream PROTOCOL_ERROR on stream 3',
  'SPDY/3.1 2.3.2: a second SYN_STREAM for an open stream is a stream error PROTOCOL_ERROR; spdystream and kubehop',
  'answer RST_STREAM(3, PROTOCOL_ERROR) and keep the session.'],
  opening(c) + [hx('syn-stream-3-again', c.syn(3, b'stdin'))])

c = Client()
write('spdy-09-stream-id-going-backwards', ['SYN_STREAM 5 (stdout), then SYN_STREAM 1 (error): ids must increase.'] + SPDY_API + [
  'expect: rst_stream PROTOCOL_ERROR on stream 1',
  'SPDY/3.1 2.3.2 makes this a session error (GOAWAY PROTOCOL_ERROR); spdystream (validateStreamId) and kubehop',
  'answer RST_STREAM PROTOCOL_ERROR for that stream only.'],
  [hx('syn-stream-stdout-5', c.syn(5, b'stdout')), hx('syn-stream-error-1', c.syn(1, b'error'))])

c = Client()
write('spdy-10-stream-id-of-the-server-parity', ['A SYN_STREAM from the client with the even id 2 (streams a client opens are odd).'] + SPDY_API + [
  'expect: rst_stream PROTOCOL_ERROR on stream 2',
  'SPDY/3.1 2.3.2: client stream ids are odd.'],
  [hx('syn-stream-error-2', c.syn(2, b'error'))])

c = Client()
write('spdy-11-data-on-an-unopened-stream', ['DATA on stream 7, which was never opened; then PING 1.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'Dropped, as spdystream drops it. SPDY/3.1 2.2.2 asks for RST_STREAM INVALID_STREAM.'],
  opening(c) + [hx('data-7', data(7, b'nobody reads this\n')), hx('ping-1', ping(1))])

c = Client()
write('spdy-12-data-on-a-closed-stream', [STREAMS + '; stdin finished with an empty DATA FIN, then more DATA on stdin; then PING 1.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'Dropped. SPDY/3.1 2.2.2 asks for RST_STREAM STREAM_ALREADY_CLOSED; spdystream drops it.'],
  opening(c) + [hx('data-3-fin', data(3, b'', fin=True)), hx('data-3-after-fin', data(3, b'late\n')), hx('ping-1', ping(1))])

write('spdy-13-window-update-flood', ['10,000 WINDOW_UPDATE frames (stream 0, delta 2^31 - 1: also an overflow), then PING 1.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'kubehop, like spdystream, does no SPDY flow control and ignores WINDOW_UPDATE; nothing is answered, so a flood',
  'costs only the reading.'],
  [hx('window-update-0', window_update(0, 0x7fffffff), 10000), hx('ping-1', ping(1))])

write('spdy-14-settings-flood', ['10,000 SETTINGS frames of 2 entries each (max concurrent streams 0, initial window 1), then PING 1.'] + SPDY_API + [
  'expect: ping 1 echoed',
  'Ignored (no flow control, no stream limit); SETTINGS have no acknowledgement in SPDY, so nothing is amplified.'],
  [hx('settings', settings([(0, 4, 0), (0, 7, 1)]), 10000), hx('ping-1', ping(1))])

c = Client()
write('spdy-15-unknown-stream-type', ['A SYN_STREAM whose streamtype is "bogus" (kubectl\'s are error, stdin, stdout, stderr, resize).'] + SPDY_API + [
  'expect: ping 1 echoed',
  'The SPDY analogue of an unknown channel byte. Ignored (SYN_REPLY, then drained), as upstream\'s kubelet and',
  'runtime do ("unexpected stream type"); the session goes on: the PING 1 after it is echoed.'],
  [hx('syn-stream-bogus-1', c.syn(1, b'bogus')), hx('ping-1', ping(1))])

c = Client()
write('spdy-16-zlib-bomb-on-the-kubelet', ['The header-block bomb of spdy-05, sent to the kubelet\'s own port.'] + SPDY_KUBELET + [
  'expect: goaway PROTOCOL_ERROR'],
  [hx('syn-stream-1-bomb', c.syn(1, b'', raw_headers=[(b'streamtype', b'error'), (b'x-bomb', b'\x00' * (16 * 1024 * 1024))]))])

write('spdy-17-garbage-on-the-kubelet', ['Bytes that are no SPDY frame at all, to the kubelet: a DATA header for stream 0.'] + SPDY_KUBELET + [
  'expect: goaway PROTOCOL_ERROR', 'SPDY/3.1 2.2.2: stream id 0 is invalid for DATA.'],
  [hx('data-0', data(0, b'x'))])

# ---- raw HTTP ----
H = ['phase: http']
write('http-01-garbage-request-line', ['A request line that is no HTTP.', 'target: apiserver'] + H + ['expect: status 400'],
  [txt('request-line', 'HELLO\r\n\r\n')])
write('http-02-oversized-header-block', ['A request head of 1.2 MiB (20,000 header lines of 60 bytes); the apiserver accepts 1 MiB, as upstream (MaxHeaderBytes).', 'target: apiserver'] + H + ['expect: status 431'],
  [txt('request-line', 'GET /version HTTP/1.1\r\nHost: x\r\n'), txt('x-pad', 'X-Pad: ' + 'a' * 51 + '\r\n', 20000), txt('end', '\r\n')])
write('http-03-exec-of-a-missing-pod', ['A SPDY exec upgrade for a pod that does not exist.', 'target: apiserver'] + H + ['expect: status 404'],
  [txt('upgrade', 'POST /api/v1/namespaces/default/pods/nope/exec?command=true&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n')])
write('http-04-kubelet-unknown-path', ['A GET of a path the kubelet does not serve.', 'target: kubelet'] + H + ['expect: status 404'],
  [txt('request', 'GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n')])
write('http-05-bogus-cri-token', ['A SPDY exec upgrade with a token the runtime never handed out.', 'target: runtime'] + H + ['expect: status 404',
  'Reused and expired tokens: StreamingTokensTest (runtime) and StreamingServerTest (streaming) cover them.'],
  [txt('upgrade', 'POST /exec/bogus-token HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n')])
write('http-06-slowloris', ['An exec upgrade sent one byte a second; it never completes within the request-header timeout.', 'target: apiserver', 'phase: slow',
  'expect: close', 'The apiserver closes without an answer after --request-header-timeout (upstream: ReadHeaderTimeout 32 s,', 'then Go closes without an answer too). The test runs the cluster with 3s.'],
  [txt('upgrade', 'POST /api/v1/namespaces/default/pods/demo/exec?command=sleep&command=4300&stdin=true&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n')])

# ---- WebSocket, frames masked with the key 00000000 unless said otherwise ----
W = ['target: apiserver', 'phase: websocket']
def wsframe(op, payload, fin=True, masked=True):
    b = bytes([(0x80 if fin else 0) | op])
    n = len(payload)
    m = 0x80 if masked else 0
    if n < 126: b += bytes([m | n])
    else: b += bytes([m | 126]) + struct.pack('>H', n)
    if masked: b += b'\x00\x00\x00\x00'
    return b + payload
write('ws-01-unmasked-client-frame', ['A binary frame with stdin "hi\\n" and the MASK bit clear.'] + W + ['expect: ws close 1002',
  'RFC 6455 5.1: a server MUST close the connection on an unmasked client frame; 7.4.1: 1002.'],
  [hx('binary-stdin-unmasked', wsframe(2, b'\x00hi\n', masked=False))])
write('ws-02-fragmented-ping', ['A PING with FIN clear (a control frame in fragments).'] + W + ['expect: ws close 1002',
  'RFC 6455 5.5: control frames MUST NOT be fragmented.'],
  [hx('ping-nofin', wsframe(9, b'abc', fin=False))])
write('ws-03-bad-utf8-text', ['A text frame whose payload is not UTF-8 (c3 28).'] + W + ['expect: ws pong',
  'RFC 6455 8.1 says: fail the connection (1007). kubehop reads a text message like a binary one (channel 0: stdin',
  '"c3 28") and does not validate UTF-8; the session goes on (the test\'s PING after every WebSocket entry is',
  'answered). v5.channel.k8s.io clients send binary messages only.'],
  [hx('text-bad-utf8', wsframe(1, b'\x00\xc3\x28'))])
write('ws-04-oversized-ping', ['A PING with a 126-byte payload (control frames carry at most 125).'] + W + ['expect: ws close 1002',
  'RFC 6455 5.5.'], [hx('ping-126', wsframe(9, b'p' * 126))])
write('ws-05-reserved-opcode', ['A frame with the reserved opcode 3.'] + W + ['expect: ws close 1002', 'RFC 6455 5.2.'],
  [hx('opcode-3', wsframe(3, b'x'))])
print('ok', len(os.listdir(OUT)))
