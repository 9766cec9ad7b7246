"""A small Chrome DevTools Protocol client for scripts/serve-browser-test.sh.

Starts Debian's headless Chromium with its own profile and --remote-debugging-port=0,
reads the DevTools address from its stderr, opens one page target and talks to it
over one WebSocket (websocket-client) in flat session mode. Every event of the page
session is kept in `events` so the test can check the network log and the console
afterwards; commands are synchronous (send, then read until the answer arrives,
keeping the events read on the way).
"""
import json
import os
import re
import subprocess
import threading
import time

import websocket  # websocket-client, installed into a venv by the shell script

# Flags that stop the background traffic Chromium makes on its own (component and
# extension updates, sync, translate, field trials, ...). What still slips through
# is not the page's: the test only counts the Network events of the page's session.
QUIET_FLAGS = [
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-client-side-phishing-detection",
    "--disable-domain-reliability", "--metrics-recording-only", "--no-pings",
    "--disable-breakpad", "--password-store=basic", "--use-mock-keychain",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater,"
    "InterestFeedContentSuggestions,PrivacySandboxSettings4,NetworkTimeServiceQuerying",
]


class CdpError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium process with one attached page target."""

    def __init__(self, profile, home, width=1280, height=900, start_timeout=60, netlog=None):
        exe = os.environ.get("CHROMIUM", "chromium")
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_CACHE_HOME=os.path.join(home, ".cache"))
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--mute-audio", f"--window-size={width},{height}", "--remote-debugging-port=0",
                f"--user-data-dir={profile}", *QUIET_FLAGS]
        if netlog:
            args.append(f"--log-net-log={netlog}")
        args.append("about:blank")
        self.stderr_path = os.path.join(home, "chromium.stderr")
        self._stderr = open(self.stderr_path, "w+")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._stderr, env=env, start_new_session=True)
        self.events = []          # (sessionId, method, params) of every event received
        self.next_id = 0
        # The page's session and its children's (an iframe, a worker: auto-attached, so a
        # request made from one of them still lands in the checked log).
        self.sessions = set()
        self.lock = threading.Lock()
        self.ws = None
        try:
            self.ws = websocket.create_connection(self._devtools_url(start_timeout), timeout=30,
                                                  suppress_origin=True, enable_multithread=True)
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.sessions.add(self.session)
        except BaseException:
            self.close()
            raise

    def _devtools_url(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self._stderr.seek(0)
            m = re.search(r"DevTools listening on (ws://\S+)", self._stderr.read())
            if m:
                return m.group(1)
            if self.proc.poll() is not None:
                raise CdpError(f"chromium exited with status {self.proc.returncode} before DevTools was ready; "
                               f"stderr: {self._tail()}")
            time.sleep(0.1)
        raise CdpError(f"chromium printed no 'DevTools listening on ws://' within {timeout} s; stderr: {self._tail()}")

    def _tail(self, n=15):
        self._stderr.seek(0)
        lines = [l for l in self._stderr.read().splitlines() if "dbus" not in l.lower()]
        return " | ".join(lines[-n:])

    def _read_one(self):
        msg = json.loads(self.ws.recv())
        if "method" in msg:
            sid, method, params = msg.get("sessionId"), msg["method"], msg.get("params", {})
            self.events.append((sid, method, params))
            if method == "Target.attachedToTarget" and sid in self.sessions:
                self._adopt_child(params)
        return msg

    def _adopt_child(self, params):
        child = params["sessionId"]
        self.sessions.add(child)
        for method in ("Network.enable", "Runtime.enable", "Log.enable"):
            self.send_nowait(method, session=child)
        self.send_nowait("Runtime.runIfWaitingForDebugger", session=child)

    def send_nowait(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        return self.next_id

    def call(self, method, session=None, timeout=60, **params):
        """Sends a command and returns its result (raises CdpError on a protocol error)."""
        with self.lock:
            mid = self.send_nowait(method, session=session, **params)
            deadline = time.time() + timeout
            while True:
                if time.time() > deadline:
                    raise CdpError(f"{method}: no answer within {timeout} s")
                try:
                    msg = self._read_one()
                except websocket.WebSocketTimeoutException:
                    continue
                if msg.get("id") == mid:
                    if "error" in msg:
                        raise CdpError(f"{method}: {msg['error']}")
                    return msg.get("result", {})

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def evaluate(self, expression, timeout=60):
        """Runs JS in the page (awaiting a promise) and returns its value."""
        r = self.page("Runtime.evaluate", expression=expression, returnByValue=True,
                      awaitPromise=True, timeout=timeout * 1000)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CdpError(f"JS error in {expression[:80]!r}: {d.get('exception', {}).get('description') or d.get('text')}")
        return r["result"].get("value")

    def wait_for(self, expression, what, timeout, interval=0.25):
        """Polls a JS expression until it is truthy; returns its value."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = self.evaluate(expression)
            if last:
                return last
            time.sleep(interval)
        raise CdpError(f"timed out after {timeout} s waiting for {what} (last value {last!r})")

    def close(self):
        try:
            if self.ws:
                self.ws.close()
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._stderr.close()
