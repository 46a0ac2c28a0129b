"""Asks a DNS server on 127.0.0.1 a steady stream of questions, for the sample log.

One connected UDP socket: its send() carries no address, so of the two sides only the
server's answers (sendmmsg to the client's address) carry a sockaddr for audit to see.

Usage: python3 dns-query-loop.py SECONDS [QUERIES_PER_SECOND]
"""
import socket
import struct
import sys
import time

seconds = float(sys.argv[1])
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0

questions = [(b'localhost', 1), (b'localhost', 28), (b'localhost', 2),
             (b'1.0.0.127.in-addr.arpa', 12)]

client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.connect(('127.0.0.1', 53))
client.settimeout(1)

end = time.monotonic() + seconds
sent = 0
answered = 0
while time.monotonic() < end:
    name, qtype = questions[sent % len(questions)]
    qname = b''.join(bytes([len(label)]) + label for label in name.split(b'.')) + b'\0'
    header = struct.pack('>HHHHHH', sent & 0xffff, 0x0100, 1, 0, 0, 0)
    client.send(header + qname + struct.pack('>HH', qtype, 1))
    try:
        client.recv(512)
        answered += 1
    except socket.timeout:
        pass
    sent += 1
    time.sleep(1 / rate)

print(f'{sent} {answered}')
