"""Servers on 127.0.0.1 that stall their clients, as a failing network does (never the internet).

    Silent()      accepts connections and reads what it is sent, but never answers: a frozen Redis,
                  a network partition, an identity provider that hangs (it hangs up after 30 s).
    Trickling()   answers one byte every `interval` seconds: a valid HTTP status line and headers
                  first, then a body of a million bytes (it hangs up after 15 s).

Both are context managers; `url(scheme)` names them, e.g. ``silent.url("redis") + "/0"``.
"""

import socket
import threading
import time


class _Server:
    def __init__(self, hang_up_after: float):
        """hang_up_after: a connection is closed after this many seconds, so that a client without a
        bound of its own fails a test instead of hanging it."""
        self.hang_up_after = hang_up_after
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.connections = 0
        self._stopped = threading.Event()
        self._clients: list[socket.socket] = []

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._socket.close()
        for client in self._clients:
            client.close()

    def _accept(self):
        while not self._stopped.is_set():
            try:
                client, _address = self._socket.accept()
            except OSError:  # closed by __exit__
                return
            self.connections += 1
            self._clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket):
        raise NotImplementedError


class Silent(_Server):
    def __init__(self, hang_up_after: float = 30.0):
        super().__init__(hang_up_after)

    def _serve(self, client):
        client.settimeout(self.hang_up_after)
        try:
            while not self._stopped.is_set() and client.recv(65536):
                pass  # read, never answer
        except OSError:  # the time is up, or the client left
            pass
        client.close()


class Trickling(_Server):
    HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"

    def __init__(self, interval: float = 0.1, hang_up_after: float = 15.0):
        super().__init__(hang_up_after)
        self.interval = interval

    def _serve(self, client):
        until = time.monotonic() + self.hang_up_after
        try:
            client.recv(65536)  # the request
            for byte in self.HEAD + b"[" + b" " * 999_999:
                if self._stopped.wait(self.interval) or time.monotonic() > until:
                    break
                client.sendall(bytes([byte]))
        except OSError:  # the client gave up
            pass
        client.close()


def elapsed(call) -> tuple[float, object]:
    """Seconds `call()` took, and what it returned."""
    started = time.monotonic()
    result = call()
    return time.monotonic() - started, result
