#!/usr/bin/env python3
# test-merge-syncthing.py: one library on two machines through two real
# Syncthing instances (FORMAT.md "Several machines").
#
# Both instances run on 127.0.0.1 only, with their own homes, explicit
# device addresses, and global and local discovery, relays, NAT, usage and
# crash reporting and upgrades switched off. The library is synced; the
# devices are paused; the same clips are changed on both sides in every
# way the app changes them (clip.json written as the app writes it);
# the devices are resumed; Syncthing makes its conflict copies (one clip
# is clipped again on both sides: copies of its article too); gloss
# --merge-conflicts runs on both sides; the two libraries must end byte
# for byte identical, with every change there and no conflict copy left.
# Every wait is bounded and goes through Syncthing's REST API (its event
# stream wakes the checks); nothing sleeps blindly.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Then a second round with the app's library running on Ada's side
# (gloss-test-watch: the library as the app loads and watches it): its file
# monitor merges the copies as they come, and Bob does nothing at all.
#
# Usage: test-merge-syncthing.py PATH-TO-GLOSS [PATH-TO-GLOSS-TEST-WATCH]

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import merge_fixtures as fx  # noqa: E402

GLOSS = os.path.abspath(sys.argv[1])
WATCH = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
FOLDER = 'gloss-library'
TIMEOUT = 120
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print('not ok: ' + what, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, root, name):
        self.name = name
        self.home = os.path.join(root, name, 'syncthing')
        self.library = os.path.join(root, name, 'library')
        self.gui_port = free_port()
        self.listen_port = free_port()
        self.api_key = 'gloss-test-' + name
        self.process = None
        self.env = dict(os.environ)
        self.env.update({
            'HOME': os.path.join(root, name, 'home'),
            'XDG_DATA_HOME': os.path.join(root, name, 'data'),
            'XDG_STATE_HOME': os.path.join(root, name, 'state'),
            'XDG_CACHE_HOME': os.path.join(root, name, 'cache'),
            'XDG_CONFIG_HOME': os.path.join(root, name, 'config'),
            'STNODEFAULTFOLDER': '1', 'STNOUPGRADE': '1', 'STNORESTART': '1',
            'GSETTINGS_BACKEND': 'memory',
        })
        self.env.pop('GLOSS_LIBRARY', None)
        for key in ('HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME'):
            os.makedirs(self.env[key], exist_ok=True)
        os.makedirs(self.library, exist_ok=True)
        out = subprocess.run(['syncthing', 'generate', '--home=' + self.home, '--no-default-folder',
                              '--skip-port-probing'], env=self.env, capture_output=True, text=True,
                             timeout=60, check=True)
        self.device_id = [line.split('Device ID:')[1].strip()
                          for line in (out.stdout + out.stderr).splitlines() if 'Device ID:' in line][0]

    def configure(self, other, dial):
        path = os.path.join(self.home, 'config.xml')
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find('gui')
        gui.find('address').text = '127.0.0.1:%d' % self.gui_port
        gui.find('apikey').text = self.api_key
        options = root.find('options')
        for tag, value in (('listenAddress', 'tcp://127.0.0.1:%d' % self.listen_port),
                           ('globalAnnounceEnabled', 'false'), ('localAnnounceEnabled', 'false'),
                           ('relaysEnabled', 'false'), ('natEnabled', 'false'),
                           ('urAccepted', '-1'), ('crashReportingEnabled', 'false'),
                           ('autoUpgradeIntervalH', '0'), ('startBrowser', 'false'),
                           ('reconnectionIntervalS', '1'), ('progressUpdateIntervalS', '-1')):
            options.find(tag).text = value
        # The other device. Only one side dials, at the other's explicit
        # address; the other has no address to dial ("dynamic" with every
        # discovery off). When both dialled, both from their listening
        # ports, a resume could cross two connections: each side's Hello
        # then waited for Syncthing's 20 s timeout before it dialled again
        # (seen as "Failed to exchange Hello messages" in both logs, and a
        # run of 25 s instead of 5).
        device = ET.SubElement(root, 'device', {'id': other.device_id, 'name': other.name,
                                                'compression': 'metadata', 'introducer': 'false',
                                                'skipIntroductionRemovals': 'false', 'introducedBy': ''})
        ET.SubElement(device, 'address').text = \
            'tcp://127.0.0.1:%d' % other.listen_port if dial else 'dynamic'
        ET.SubElement(device, 'paused').text = 'false'
        ET.SubElement(device, 'autoAcceptFolders').text = 'false'
        # The library, scanned when the test says so.
        folder = ET.SubElement(root, 'folder', {'id': FOLDER, 'label': 'Gloss', 'path': self.library,
                                                'type': 'sendreceive', 'rescanIntervalS': '3600',
                                                'fsWatcherEnabled': 'false', 'fsWatcherDelayS': '10',
                                                'ignorePerms': 'false', 'autoNormalize': 'true'})
        ET.SubElement(folder, 'filesystemType').text = 'basic'
        for device_id in (self.device_id, other.device_id):
            ET.SubElement(folder, 'device', {'id': device_id, 'introducedBy': ''})
        ET.SubElement(folder, 'minDiskFree', {'unit': '%'}).text = '1'
        ET.SubElement(folder, 'maxConflicts').text = '-1'
        # A pull that fails (a copy the other side has trashed meanwhile,
        # a pull cut by a pause) is retried after this many seconds,
        # doubling; Syncthing's default of 60 outlasts a test's waits.
        ET.SubElement(folder, 'pullerPauseS').text = '1'
        tree.write(path)

    def start(self):
        log = open(os.path.join(self.home, 'syncthing.log'), 'w')
        self.process = subprocess.Popen(['syncthing', 'serve', '--home=' + self.home, '--no-browser',
                                         '--no-restart', '--no-upgrade'],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            try:
                self.post('/rest/system/shutdown')
                self.process.wait(timeout=30)
            except Exception:
                self.process.terminate()
                self.process.wait(timeout=30)

    def request(self, method, path, timeout=30):
        req = urllib.request.Request('http://127.0.0.1:%d%s' % (self.gui_port, path), method=method,
                                     headers={'X-API-Key': self.api_key})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def get(self, path, timeout=30):
        return self.request('GET', path, timeout)

    def post(self, path):
        return self.request('POST', path, timeout=120)

    def scan(self):
        # Returns when the scan is done.
        self.post('/rest/db/scan?folder=' + FOLDER)

    def gloss(self, *args, check=True):
        return fx.gloss(GLOSS, '--library', self.library, *args, env=self.env, check=check)


class Waiter:
    """Waits for a condition, woken by Syncthing's events (a long poll on
    one instance's /rest/events), within a deadline."""

    def __init__(self, instances):
        self.instances = instances
        self.since = {i.name: 0 for i in instances}

    def until(self, what, condition, timeout=TIMEOUT):
        start = time.monotonic()
        deadline = start + timeout
        turn = 0
        while True:
            if condition():
                print('%.1f s: %s' % (time.monotonic() - start, what), flush=True)
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                check(False, 'within %d s: %s' % (timeout, what))
                return False
            instance = self.instances[turn % len(self.instances)]
            turn += 1
            try:
                events = instance.get('/rest/events?since=%d&timeout=%d' % (self.since[instance.name],
                                                                            max(1, min(2, int(left)))),
                                      timeout=left + 5)
                if events:
                    self.since[instance.name] = events[-1]['id']
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                # Not listening yet: the process is starting.
                if instance.process.poll() is not None:
                    check(False, '%s: syncthing exited with %d' % (instance.name, instance.process.returncode))
                    return False
                time.sleep(0.05)


def reachable(instance):
    try:
        return instance.get('/rest/system/ping', timeout=2) == {'ping': 'pong'}
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return False


def connected(a, b):
    connections = a.get('/rest/system/connections')['connections']
    return connections.get(b.device_id, {}).get('connected', False)


def in_sync(a, b):
    """Both idle, nothing needed, each knows the other is complete, and the
    two libraries hold the same bytes."""
    for x, y in ((a, b), (b, a)):
        status = x.get('/rest/db/status?folder=' + FOLDER)
        if status['state'] != 'idle' or status['needTotalItems'] != 0:
            return False
        completion = x.get('/rest/db/completion?folder=%s&device=%s' % (FOLDER, y.device_id))
        if completion['completion'] < 100 or completion['needItems'] != 0:
            return False
    return fx.tree(a.library) == fx.tree(b.library)


def has_copies(a, b):
    return fx.conflict_copies(a.library) != [] and \
        len(fx.conflict_copies(a.library)) == len(fx.conflict_copies(b.library))


def update_article(library, clip_id, text):
    """A clip updated (clipped again) as the clip writer does it: the new
    article files, then clip.json with the annotations anchored in them."""
    folder = os.path.join(library, 'clips', clip_id)
    for name, data in (('article.html', '<p>%s</p>\n' % text), ('article.txt', text)):
        tmp = os.path.join(folder, '.' + name + '.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(data)
        os.rename(tmp, os.path.join(folder, name))
    with fx.Edit(library, clip_id) as e:
        for a in e.clip['annotations']:
            selectors = a['target']['selector']
            quote = [s for s in selectors if s['type'] == 'TextQuoteSelector'][0]
            position = [s for s in selectors if s['type'] == 'TextPositionSelector'][0]
            start = text.find(quote['prefix'] + quote['exact']) + len(quote['prefix'])
            position['start'], position['end'] = start, start + len(quote['exact'])
            quote['prefix'] = text[max(0, start - 32):start]
            quote['suffix'] = text[start + len(quote['exact']):start + len(quote['exact']) + 32]


def anchored_in_article(library, clip_id):
    """Every annotation's position holds its quote in the clip's article."""
    with open(os.path.join(library, 'clips', clip_id, 'article.txt'), encoding='utf-8') as f:
        text = f.read()
    for a in fx.read_clip(library, clip_id)['annotations']:
        selectors = a['target']['selector']
        quote = [s for s in selectors if s['type'] == 'TextQuoteSelector'][0]
        position = [s for s in selectors if s['type'] == 'TextPositionSelector'][0]
        if text[position['start']:position['end']] != quote['exact']:
            return False
    return True


def second_round(a, b, wait, ids):
    watcher = subprocess.Popen([WATCH, a.library], env=a.env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        ready = watcher.stdout.readline().strip()
        check(ready == 'ready', 'the app’s library is loaded and watching: %r' % ready)

        a.post('/rest/system/pause?device=' + b.device_id)
        b.post('/rest/system/pause?device=' + a.device_id)
        wait.until('the devices are apart again', lambda: not connected(a, b) and not connected(b, a))

        new_a, new_b = fx.new_id(), fx.new_id()
        with fx.Edit(a.library, 'c1') as e:
            e.recolor(ids['c1'][0], 'blue')
        with fx.Edit(a.library, 'c2') as e:
            e.add_tag('ada-2')
        with fx.Edit(a.library, 'c3') as e:
            e.title('Ada’s title')
        with fx.Edit(a.library, 'c4') as e:
            e.add(fx.annotation(new_a, 100, 110, 'green'))
        with fx.Edit(a.library, 'c5') as e:
            e.page_note('Ada, second round')
        with fx.Edit(b.library, 'c1') as e:
            e.page_note('Bob, second round')
        with fx.Edit(b.library, 'c2') as e:
            e.delete(ids['c2'][1])
        with fx.Edit(b.library, 'c3') as e:
            e.annotation_note(ids['c3'][0], 'Bob’s second note')
        with fx.Edit(b.library, 'c4') as e:
            e.add(fx.annotation(new_b, 120, 130, 'pink'))
        with fx.Edit(b.library, 'c5') as e:
            e.page_note('Bob, second round')
        a.scan()
        b.scan()

        a.post('/rest/system/resume?device=' + b.device_id)
        b.post('/rest/system/resume?device=' + a.device_id)
        wait.until('the devices meet again', lambda: connected(a, b) and connected(b, a))

        # Ada's library merges each copy as Syncthing writes it; scans
        # (the folder watcher is off in this test) carry the merges over.
        def settled():
            a.scan()
            b.scan()
            return in_sync(a, b) and not fx.conflict_copies(a.library) and not fx.conflict_copies(b.library)

        wait.until('the watching library merges and the sync settles, Bob doing nothing', settled)
        check(watcher.poll() is None, 'the app’s library is still running')
    finally:
        watcher.stdin.close()
        watcher.wait(timeout=30)

    check(fx.tree(a.library) == fx.tree(b.library), 'second round: the two libraries are identical')

    def clip(clip_id):
        return fx.read_clip(b.library, clip_id)

    def ann(clip_id, ann_id):
        found = [x for x in clip(clip_id)['annotations'] if x['id'] == ann_id]
        return found[0] if found else None

    check(ann('c1', ids['c1'][0])['color'] == 'blue' and clip('c1').get('note') == 'Bob, second round',
          'second round c1: Ada’s colour, Bob’s page note')
    check('ada-2' in clip('c2')['tags'] and ann('c2', ids['c2'][1]) is None,
          'second round c2: Ada’s tag, Bob’s deletion')
    check(clip('c3')['title'] == 'Ada’s title' and ann('c3', ids['c3'][0])['note'] == 'Bob’s second note',
          'second round c3: Ada’s title, Bob’s note')
    check(ann('c4', new_a) is not None and ann('c4', new_b) is not None, 'second round c4: both highlights')
    check(clip('c5').get('note') == 'Bob, second round', 'second round c5: the later page note')
    trash = os.path.join(a.env['XDG_DATA_HOME'], 'Trash', 'files')
    print('second round: the watching library merged; Ada’s trash holds %d copies' % len(os.listdir(trash)),
          flush=True)


def main():
    if shutil.which('syncthing') is None:
        print('syncthing is not installed (Debian package syncthing): skipped')
        return 77

    root = tempfile.mkdtemp(prefix='gloss-syncthing-')
    a = Instance(root, 'ada')
    b = Instance(root, 'bob')
    try:
        a.configure(b, dial=False)
        b.configure(a, dial=True)
        a.start()
        b.start()
        wait = Waiter([a, b])
        wait.until('both REST APIs answer', lambda: reachable(a) and reachable(b))
        wait.until('the two devices connect', lambda: connected(a, b) and connected(b, a))

        # The library, made on Ada's machine.
        ids = {name: [fx.new_id() for _ in range(4)] for name in ('c1', 'c2', 'c3', 'c4', 'c5', 'c6')}
        for n, clip_id in enumerate(sorted(ids)):
            k = ids[clip_id]
            fx.write_clip(a.library, fx.new_clip(
                clip_id, 'Clip %d' % n,
                [fx.annotation(k[0], 0, 10), fx.annotation(k[1], 20, 30, 'blue', 'first note'),
                 fx.annotation(k[2], 40, 50, 'pink')],
                tags=['shared', 'old'], note='page note %d' % n))
        a.scan()
        b.scan()
        wait.until('the library reaches Bob', lambda: in_sync(a, b))
        check(os.path.exists(os.path.join(b.library, 'clips', 'c6', 'clip.json')), 'Bob has the library')

        # Paused: each machine changes the same clips.
        a.post('/rest/system/pause?device=' + b.device_id)
        b.post('/rest/system/pause?device=' + a.device_id)
        wait.until('the devices are apart', lambda: not connected(a, b) and not connected(b, a))

        new_a, new_b = fx.new_id(), fx.new_id()
        # Ada first.
        with fx.Edit(a.library, 'c1') as e:            # add
            e.add(fx.annotation(new_a, 60, 70, 'green'))
        with fx.Edit(a.library, 'c2') as e:            # delete, recolour
            e.delete(ids['c2'][0])
            e.recolor(ids['c2'][2], 'yellow')
        with fx.Edit(a.library, 'c3') as e:            # page note (loses to Bob's later one)
            e.page_note('Ada’s page note')
        with fx.Edit(a.library, 'c4') as e:            # tags
            e.remove_tag('old')
            e.add_tag('ada')
        with fx.Edit(a.library, 'c5') as e:            # a highlight's note
            e.annotation_note(ids['c5'][1], 'Ada’s note')
        new_clip = fx.new_id()
        fx.write_clip(a.library, fx.new_clip(new_clip, 'Only on Ada’s machine'))
        # c6 clipped again on both machines, each getting another article:
        # Syncthing keeps one article and makes copies of the other's.
        update_article(a.library, 'c6', 'Ada clipped this again. ' + fx.TEXT)
        # Then Bob, on the same clips.
        with fx.Edit(b.library, 'c1') as e:
            e.add(fx.annotation(new_b, 80, 90, 'purple'))
        with fx.Edit(b.library, 'c2') as e:
            e.recolor(ids['c2'][1], 'green')
            e.annotation_note(ids['c2'][1], 'Bob’s note')
        with fx.Edit(b.library, 'c3') as e:
            e.page_note('Bob’s page note')
            e.add_tag('bob')
        with fx.Edit(b.library, 'c4') as e:
            e.delete(ids['c4'][2])
        with fx.Edit(b.library, 'c5') as e:
            e.recolor(ids['c5'][0], 'purple')
            e.delete(ids['c5'][2])
        update_article(b.library, 'c6', fx.TEXT + ' Bob clipped this again.')
        a.scan()
        b.scan()

        a.post('/rest/system/resume?device=' + b.device_id)
        b.post('/rest/system/resume?device=' + a.device_id)
        wait.until('the devices meet again', lambda: connected(a, b) and connected(b, a))
        wait.until('Syncthing settles with its conflict copies on both sides',
                   lambda: in_sync(a, b) and has_copies(a, b))
        copies = fx.conflict_copies(a.library)
        check(len(copies) == 8, 'one conflict copy per clip.json changed on both sides, and of '
              'c6’s article.html and article.txt: %r' % copies)
        verify = a.gloss('--verify', check=False)
        check(verify.stdout.count('is not merged yet') == len(copies), '--verify reports them')

        # Gloss merges on both sides; the sync settles. Both machines write
        # the same bytes, so a copy Syncthing may make of that identical
        # file is merged the same way in the next round.
        rounds = 0
        while True:
            rounds += 1
            out_a = a.gloss('--merge-conflicts')
            out_b = b.gloss('--merge-conflicts')
            a.scan()
            b.scan()
            wait.until('the merged libraries settle', lambda: in_sync(a, b))
            if not fx.conflict_copies(a.library) and not fx.conflict_copies(b.library):
                break
            if rounds == 3:
                check(False, 'conflict copies are still there after 3 rounds')
                break
        print('merged in %d round(s)\n%s%s' % (rounds, out_a.stdout, out_b.stdout), flush=True)

        check(fx.tree(a.library) == fx.tree(b.library), 'the two libraries are byte for byte identical')
        check(fx.conflict_copies(a.library) == [] and fx.conflict_copies(b.library) == [],
              'no conflict copy is left')

        def clip(clip_id):
            return fx.read_clip(b.library, clip_id)

        def ann(clip_id, ann_id):
            found = [x for x in clip(clip_id)['annotations'] if x['id'] == ann_id]
            return found[0] if found else None

        c1 = [x['id'] for x in clip('c1')['annotations']]
        check(new_a in c1 and new_b in c1, 'c1: both new highlights')
        check(ann('c2', ids['c2'][0]) is None, 'c2: Ada’s deletion')
        check(ann('c2', ids['c2'][2])['color'] == 'yellow', 'c2: Ada’s colour')
        check(ann('c2', ids['c2'][1])['color'] == 'green' and ann('c2', ids['c2'][1])['note'] == 'Bob’s note',
              'c2: Bob’s colour and note')
        check(clip('c3').get('note') == 'Bob’s page note', 'c3: the later page note')
        check('bob' in clip('c3')['tags'], 'c3: Bob’s tag')
        check(sorted(clip('c4')['tags']) == ['ada', 'shared'], 'c4: tags %r' % clip('c4')['tags'])
        check(ann('c4', ids['c4'][2]) is None, 'c4: Bob’s deletion')
        check(ann('c5', ids['c5'][1])['note'] == 'Ada’s note', 'c5: Ada’s note')
        check(ann('c5', ids['c5'][0])['color'] == 'purple', 'c5: Bob’s colour')
        check(ann('c5', ids['c5'][2]) is None, 'c5: Bob’s deletion')
        check(os.path.exists(os.path.join(b.library, 'clips', new_clip, 'clip.json')), 'Ada’s new clip')
        c6_text = open(os.path.join(b.library, 'clips', 'c6', 'article.txt'), encoding='utf-8').read()
        check(c6_text in ('Ada clipped this again. ' + fx.TEXT, fx.TEXT + ' Bob clipped this again.'),
              'c6: one machine’s article is kept')
        check(len(clip('c6')['annotations']) == 3 and anchored_in_article(b.library, 'c6'),
              'c6: the annotations are anchored in the article kept')
        check('Ada’s page note' in out_a.stdout + out_b.stdout or 'page note of c3' in out_a.stdout,
              'the page note that lost is reported')
        verify = a.gloss('--verify', check=False)
        check('not merged yet' not in verify.stdout, 'gloss --verify: nothing left to merge')

        if WATCH is not None:
            second_round(a, b, wait, ids)
    finally:
        a.stop()
        b.stop()
        if failures or os.environ.get('GLOSS_TEST_KEEP'):
            print('kept ' + root)
        else:
            shutil.rmtree(root, ignore_errors=True)

    if failures:
        print('%d checks failed' % len(failures))
        return 1
    print('all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
