# Starts moto's server (python3 -m moto.server ARGS) with two changes to its DynamoDB, so that it behaves like
# DynamoDB where VoiceDrop relies on it and stays fast as tables grow (see MotoServer):
#
# 1. Requests are handled one at a time. DynamoDB applies each write atomically (condition checked and update
#    applied as one step); moto's threaded server runs requests side by side without locks, so two conditional
#    writes or two counter updates could interleave and both "win".
# 2. A transaction keeps a copy of only the items it touches to roll back, not of the whole table. Moto deep-copies
#    every table a transaction names, once per action: a catalog save (a dozen actions) copied the whole catalog a
#    dozen times, so each save got slower with every model. A table with a stream keeps its one stream shard, cut
#    back to its length before the transaction when it is cancelled: moto deep-copied the jobs table and its whole
#    stream on every job transaction (hundreds of MB of growth per test class over a test run), and a rollback
#    to that copy left every open shard iterator (the local runner's stream poller) on a shard no longer written.
# 3. Shard iterators are forgotten once 10,000 newer ones exist (DynamoDB expires them after 15 minutes): moto kept
#    every iterator it ever issued, and a stream poller gets a new one several times a second.
# 4. It exits when the process that started it is gone (its parent pid changes: re-parented to init), so a JVM
#    killed without running its shutdown hooks (SIGKILL, OOM killer, a crashed test fork) leaves no moto behind.
import copy as _copy
import os
import sys
import threading
import time
from collections import defaultdict

import moto

print("moto", moto.__version__, flush=True)

_parent = os.getppid()


def _exit_with_parent():
    while True:
        time.sleep(1)
        if os.getppid() != _parent:
            os._exit(0)


threading.Thread(target=_exit_with_parent, name="exit-with-parent", daemon=True).start()

import moto.dynamodb.models as _models  # noqa: E402
from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402
from moto.dynamodb.responses import DynamoHandler  # noqa: E402

_lock = threading.Lock()
_call_action = DynamoHandler.call_action


def _one_at_a_time(self):
    with _lock:
        return _call_action(self)


DynamoHandler.call_action = _one_at_a_time

_transaction = threading.local()


def _snapshot(table):
    touched = getattr(_transaction, "touched", {}).get(table.name)
    if touched is None:
        return _copy.deepcopy(table)
    if table.name in _transaction.snapshots:
        return _transaction.snapshots[table.name]
    snap = _copy.copy(table)
    if table.has_range_key:
        snap.items = defaultdict(dict, {h: dict(v) for h, v in table.items.items()})
    else:
        snap.items = defaultdict(dict, table.items)
    for h, r in touched:
        if table.has_range_key:
            if h in table.items and r in table.items[h]:
                snap.items[h][r] = _copy.deepcopy(table.items[h][r])
        elif h in table.items:
            snap.items[h] = _copy.deepcopy(table.items[h])
    if table.stream_shard is not None:
        _transaction.stream_lengths[table.name] = (table.stream_shard, len(table.stream_shard.items))
    _transaction.snapshots[table.name] = snap
    return snap


class _CopyModule:
    """moto.dynamodb.models' view of the copy module: tables are snapshotted as above, anything else as usual."""

    def __getattr__(self, name):
        return getattr(_copy, name)

    @staticmethod
    def deepcopy(obj, memo=None):
        if isinstance(obj, Table):
            return _snapshot(obj)
        return _copy.deepcopy(obj, memo)


_models.copy = _CopyModule()
_transact_write_items = _models.DynamoDBBackend.transact_write_items


def _transact(self, transact_items):
    touched = {}
    for item in transact_items:
        op_type, op = next(iter(item.items()))
        name = op.get("TableName")
        if name not in self.tables:
            continue
        table = self.tables[name]
        key = op.get("Item", {}) if op_type == "Put" else op.get("Key", {})
        h = DynamoType(key[table.hash_key_attr]) if table.hash_key_attr in key else None
        r = DynamoType(key[table.range_key_attr]) if table.range_key_attr in (key or {}) else None
        touched.setdefault(name, []).append((h, r))
    _transaction.touched = touched
    _transaction.snapshots = {}
    _transaction.stream_lengths = {}
    try:
        return _transact_write_items(self, transact_items)
    except BaseException:
        # moto has put the snapshots back in place of the tables; their shared shards lose the records written since
        for name, (shard, length) in _transaction.stream_lengths.items():
            del shard.items[length:]
            if name in self.tables:
                shard.table = self.tables[name]
        raise
    finally:
        _transaction.touched = {}
        _transaction.snapshots = {}
        _transaction.stream_lengths = {}


_models.DynamoDBBackend.transact_write_items = _transact

import moto.dynamodbstreams.models as _streams  # noqa: E402
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler  # noqa: E402

_streams_call_action = DynamoDBStreamsHandler.call_action


def _streams_one_at_a_time(self):
    # a reader never sees the records of a transaction that is still running (and may be cancelled)
    with _lock:
        return _streams_call_action(self)


DynamoDBStreamsHandler.call_action = _streams_one_at_a_time
_MAX_ITERATORS = 10_000
_get_records = _streams.ShardIterator.get


def _get_forgetting_old_iterators(self, limit=1000):
    result = _get_records(self, limit)
    iterators = self.streams_backend.shard_iterators
    while len(iterators) > _MAX_ITERATORS:
        del iterators[next(iter(iterators))]
    return result


_streams.ShardIterator.get = _get_forgetting_old_iterators

from moto.server import main  # noqa: E402

main(sys.argv[1:])
