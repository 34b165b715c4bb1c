#!/usr/bin/env python3
"""Print a Lyceum service's events, one JSON line per event, in sequence order.

The zguide "Clone" pattern, as Lyceum's own consumers do it:

1. Subscribe to the producer's PUB socket first (topic prefix "<source>.").
2. With --from N, ask the producer's replay endpoint (DEALER -> ROUTER) for every event after
   sequence N, in batches, until caught up.
3. Then follow the live stream: print the event that comes next (sequence = cursor + 1), drop
   what is already printed (sequence <= cursor), and replay again when something was missed (a
   sequence jump, or a heartbeat announcing a sequence above the cursor).

Wire format (see docs/events.md):
  live event  [topic = event type, envelope JSON]      e.g. topic "learning.lesson_completed"
  heartbeat   ["<source>._heartbeat", {"source", "sequence", "sent_at"}]   every second
  replay      request  [16-byte request id, {"source", "after", "limit"}]
              reply    [same request id, {"source", "latest_sequence", "count", "error"?},
                        envelope JSON, envelope JSON, ...]

Stdout carries only events (each envelope exactly as received, one per line, flushed);
everything else goes to stderr. Needs pyzmq: `apt-get install python3-zmq`.
Exit status: 0 after --count events, 1 after --timeout, 2 bad usage, 3 replay refused, 130 Ctrl-C.
"""

import argparse
import json
import os
import signal
import sys
import time

import zmq

REPLAY_BATCH = 500           # events per replay request (the producer caps it at 1000)
REPLAY_WAIT = 2.0            # seconds to wait for a replay reply
REPLAY_RETRY = 2.0           # seconds between attempts while the replay endpoint does not answer


def log(message):
    print(f"subscriber: {message}", file=sys.stderr, flush=True)


def is_sequence(value, minimum=0):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def endpoints(text):
    return [endpoint.strip() for endpoint in text.split(",") if endpoint.strip()]


def parse_args():
    parser = argparse.ArgumentParser(
        description="Print a Lyceum service's events as JSON lines (live, and replayed with --from).",
        epilog="exit status: 0 after --count events, 1 after --timeout, 2 bad usage, "
               "3 replay refused (e.g. --from older than the producer keeps), 130 Ctrl-C")
    parser.add_argument("--publish", default="tcp://127.0.0.1:5701",
                        help="the producer's PUB endpoint, or a comma-separated list of every "
                             "replica's (default: learning's, %(default)s)")
    parser.add_argument("--replay", default="tcp://127.0.0.1:5711",
                        help="the producer's replay (ROUTER) endpoint(s), likewise "
                             "(default: learning's, %(default)s)")
    parser.add_argument("--source", default="learning",
                        help="the event source to follow (default: %(default)s)")
    parser.add_argument("--from", dest="start", type=int, metavar="N",
                        help="replay every event after sequence N first (0: from the beginning); "
                             "without it, start at the producer's current position")
    parser.add_argument("--type", dest="types", action="append", metavar="TYPE",
                        help="print only events of this type (repeatable), e.g. learning.lesson_completed; "
                             "others still move the cursor")
    parser.add_argument("--count", type=int, metavar="N",
                        help="exit 0 after printing N events")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="exit 1 when SECONDS pass without a new event")
    args = parser.parse_args()
    if args.start is not None and args.start < 0:
        parser.error("--from must be 0 or more")
    if args.count is not None and args.count < 1:
        parser.error("--count must be 1 or more")
    if args.timeout is not None and args.timeout <= 0:
        parser.error("--timeout must be more than 0")
    return args


class Done(Exception):
    """Raised to stop: `code` is the exit status."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Subscriber:
    def __init__(self, args):
        self.source = args.source
        self.replay_endpoint = args.replay
        self.heartbeat_topic = f"{args.source}._heartbeat".encode()
        # The sequence of the last event printed; None until we know where the stream stands.
        self.cursor = args.start
        self.remaining = args.count
        self.types = set(args.types or [])
        self.timeout = args.timeout
        self.last_event_at = time.monotonic()
        self.replay_due = args.start is not None   # replay before following the live stream
        self.next_replay_at = 0.0
        self.replay_answering = True               # log a silent replay endpoint once, not every retry

        self.context = zmq.Context()
        self.sub = self.context.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.RCVHWM, 100_000)   # hold live events while we replay
        self.sub.setsockopt(zmq.SUBSCRIBE, f"{args.source}.".encode())
        for endpoint in endpoints(args.publish):
            self.sub.connect(endpoint)
        self.dealer = self.context.socket(zmq.DEALER)
        self.dealer.setsockopt(zmq.LINGER, 0)
        self.dealer.setsockopt(zmq.IMMEDIATE, 1)   # requests go only to replicas we are connected to
        for endpoint in endpoints(args.replay):
            self.dealer.connect(endpoint)

    def close(self):
        self.sub.close()
        self.dealer.close()
        self.context.term()

    # -- output -------------------------------------------------------------------------------

    def emit(self, envelope_bytes, sequence, event_type):
        """Prints one event (when --type selects it) and advances the cursor; stops after --count events."""
        self.cursor = sequence
        if self.types and event_type not in self.types:
            return
        line = envelope_bytes
        if b"\n" in line or b"\r" in line:   # keep one event per line whatever the producer sent
            line = json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")).encode()
        sys.stdout.buffer.write(line + b"\n")
        sys.stdout.buffer.flush()
        self.last_event_at = time.monotonic()
        if self.remaining is not None:
            self.remaining -= 1
            if self.remaining == 0:
                raise Done(0)

    def seconds_left(self):
        """Seconds until --timeout expires (None: no timeout); stops when it has."""
        if self.timeout is None:
            return None
        left = self.timeout - (time.monotonic() - self.last_event_at)
        if left <= 0:
            log(f"no event within {self.timeout:g} s; giving up")
            raise Done(1)
        return left

    # -- reading frames -----------------------------------------------------------------------

    def read_envelope(self, data, where):
        """The envelope as a dict, or None (logged) when it is not an event of our source."""
        try:
            envelope = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            log(f"dropped {where}: not JSON ({error})")
            return None
        if not isinstance(envelope, dict):
            log(f"dropped {where}: not a JSON object")
            return None
        if envelope.get("source") != self.source or not is_sequence(envelope.get("sequence"), minimum=1):
            log(f"dropped {where}: no source {self.source!r} or no positive sequence")
            return None
        return envelope

    def on_live(self, frames):
        if len(frames) != 2:
            log(f"dropped a message of {len(frames)} frame(s); expected [topic, json]")
            return
        topic, body = frames
        name = topic.decode("utf-8", "replace")
        if topic == self.heartbeat_topic:
            try:
                heartbeat = json.loads(body)
                announced = heartbeat["sequence"]
            except (ValueError, UnicodeDecodeError, KeyError, TypeError) as error:
                log(f"dropped a heartbeat: unreadable ({error!r})")
                return
            if heartbeat.get("source") != self.source or not is_sequence(announced):
                log(f"dropped a heartbeat: no source {self.source!r} or no sequence")
            elif self.cursor is None:
                self.cursor = announced            # no --from: start after what exists now
            elif announced > self.cursor:
                self.replay_due = True             # the producer has events we have not seen
            return
        envelope = self.read_envelope(body, f"a live {name} message")
        if envelope is None:
            return
        if envelope.get("type") != name:
            log(f"dropped a live {name} message: its envelope says type {envelope.get('type')!r}")
            return
        sequence = envelope["sequence"]
        if self.cursor is None:
            self.cursor = sequence - 1             # no --from: this is the first event we follow
        if sequence <= self.cursor:
            return                                 # already printed (typically by a replay)
        if sequence > self.cursor + 1:
            self.replay_due = True                 # a gap: fetch what is missing, in order
            return
        self.emit(body, sequence, name)

    # -- replay -------------------------------------------------------------------------------

    def replay(self):
        """Fetches and prints everything after the cursor, batch by batch; returns False when the
        replay endpoint did not answer or the reply was unusable, to be tried again later, and
        stops (exit 3) when the producer refuses: retrying would not help."""
        while True:
            reply = self.request({"source": self.source, "after": self.cursor, "limit": REPLAY_BATCH})
            if reply is None:
                return False
            try:
                batch = json.loads(reply[0])
                error, latest, count = batch.get("error"), batch["latest_sequence"], batch["count"]
            except (IndexError, ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as problem:
                log(f"unreadable replay reply: {problem!r}")
                return False
            if error:                              # e.g. --from is older than the producer keeps
                log(f"replay refused: {error}")
                raise Done(3)
            if not is_sequence(latest) or not is_sequence(count):
                log("unreadable replay reply: latest_sequence and count must be integers")
                return False
            for body in reply[1:]:
                envelope = self.read_envelope(body, "a replayed event")
                if envelope is None:
                    return False
                sequence = envelope["sequence"]
                if sequence == self.cursor + 1:
                    self.emit(body, sequence, envelope.get("type"))
                elif sequence > self.cursor + 1:
                    log(f"replay skipped from {self.cursor} to {sequence}; asking again")
                    return False
            if count < REPLAY_BATCH or self.cursor >= latest:
                return True

    def request(self, request):
        """Sends one replay request; the reply frames after the request id, or None when no
        replay endpoint took the request and answered within REPLAY_WAIT seconds."""
        request_id = os.urandom(16)
        deadline = time.monotonic() + REPLAY_WAIT
        sent = False
        while True:
            left = self.seconds_left()             # --timeout applies while we wait, too
            wait = min(deadline - time.monotonic(), REPLAY_WAIT if left is None else left)
            if wait <= 0:
                return self.not_answering()
            if not sent:
                # Writable once connected to a replay endpoint (the socket is ZMQ_IMMEDIATE).
                if self.dealer.poll(int(wait * 1000) + 1, zmq.POLLOUT):
                    try:
                        self.dealer.send_multipart([request_id, json.dumps(request).encode()], flags=zmq.NOBLOCK)
                        sent = True
                    except zmq.Again:              # the connection went away meanwhile
                        pass
            elif self.dealer.poll(int(wait * 1000) + 1):
                frames = self.dealer.recv_multipart()
                if frames and frames[0] == request_id:
                    if not self.replay_answering:
                        log(f"replay endpoint {self.replay_endpoint} answers again")
                    self.replay_answering = True
                    return frames[1:]
                # Otherwise a late reply to an earlier request that timed out: ignore it.

    def not_answering(self):
        if self.replay_answering:
            log(f"replay endpoint {self.replay_endpoint} does not answer; retrying every {REPLAY_RETRY:g} s")
        self.replay_answering = False
        return None

    # -- main loop ----------------------------------------------------------------------------

    def run(self):
        while True:
            now = time.monotonic()
            if self.replay_due and self.cursor is not None and now >= self.next_replay_at:
                if self.replay():
                    self.replay_due = False
                else:
                    self.next_replay_at = time.monotonic() + REPLAY_RETRY
            wait = 1.0
            left = self.seconds_left()
            if left is not None:
                wait = min(wait, left)
            if self.sub.poll(int(wait * 1000) + 1):
                self.on_live(self.sub.recv_multipart())


def main():
    args = parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `| head` ends us quietly
    signal.signal(signal.SIGINT, signal.default_int_handler)   # Ctrl-C, even when started with `&`
    subscriber = Subscriber(args)
    try:
        subscriber.run()
    except Done as done:
        return done.code
    except KeyboardInterrupt:
        return 130
    finally:
        subscriber.close()


if __name__ == "__main__":
    sys.exit(main())
