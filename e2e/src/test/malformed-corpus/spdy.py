"""SPDY/3.1 frame builders for make_corpus.py (zlib header blocks with SPDY's dictionary)."""
import re, zlib, struct
import os
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..')
src = open(os.path.join(ROOT, 'streaming/src/main/java/io/kubehop/streaming/spdy/frame/SpdyDictionary.java')).read()
m = re.search(r'String HEX =(.*?);', src, re.S)
DICT = bytes.fromhex(''.join(re.findall(r'"([0-9a-f]*)"', m.group(1))))
assert zlib.adler32(DICT) == 0xE3C6A7C2, hex(zlib.adler32(DICT))

class Client:
    def __init__(self):
        self.c = zlib.compressobj(zdict=DICT)
    def block(self, headers):
        raw = struct.pack('>I', len(headers))
        for k, v in headers:
            raw += struct.pack('>I', len(k)) + k + struct.pack('>I', len(v)) + v
        return self.c.compress(raw) + self.c.flush(zlib.Z_SYNC_FLUSH)
    def syn(self, sid, streamtype, fin=False, version=3, raw_headers=None):
        blk = self.block(raw_headers if raw_headers is not None else [(b'streamtype', streamtype)])
        body = struct.pack('>II', sid, 0) + b'\x00\x00' + blk
        return ctrl(1, 1 if fin else 0, body, version)

def ctrl(t, flags, body, version=3, length=None):
    return struct.pack('>HH', 0x8000 | version, t) + bytes([flags]) + (len(body) if length is None else length).to_bytes(3, 'big') + body
def data(sid, payload, fin=False, length=None):
    return struct.pack('>I', sid) + bytes([1 if fin else 0]) + (len(payload) if length is None else length).to_bytes(3, 'big') + payload
def ping(pid, version=3): return ctrl(6, 0, struct.pack('>I', pid), version)
def rst(sid, status): return ctrl(3, 0, struct.pack('>II', sid, status))
def window_update(sid, delta): return ctrl(9, 0, struct.pack('>II', sid, delta))
def settings(entries): 
    body = struct.pack('>I', len(entries))
    for flag, sid, val in entries: body += bytes([flag]) + sid.to_bytes(3,'big') + struct.pack('>I', val)
    return ctrl(4, 0, body)
