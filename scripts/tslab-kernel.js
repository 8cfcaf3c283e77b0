#!/usr/bin/env node
// The tslab kernel as Jupyter starts it, with comm messages answered quietly.
//
//   scripts/tslab-kernel.js kernel --config-path CONNECTION_FILE     (what kernel.json runs)
//   scripts/tslab-kernel.js install --python /usr/bin/python3 --binary "$PWD/scripts/tslab-kernel.js"
//
// It takes the same arguments as tslab (node_modules/.bin/tslab) and runs it, after one change to tslab's
// kernel: tslab 1.0.22 has no comm (widget) support, and front-ends (JupyterLab, VS Code, Colab-style
// widget managers) probe for it. tslab then prints `unknown msg_type: comm_open` (and comm_msg,
// comm_close) to stderr, which front-ends show in red, and answers comm_info_request with a reply
// typed "complete_reply" (a front-end waiting for comm_info_reply never gets it). Here:
//   comm_info_request → comm_info_reply {status: "ok", comms: {}} (no comm targets);
//   comm_open         → comm_close on iopub at once (the messaging spec's answer for an unknown target);
//   comm_msg, comm_close → ignored (there is never an open comm);
// each between the busy and idle status messages, as for every shell message. Nothing else changes.
// The change is made to the loaded modules (not to node_modules on disk), so `npm ci` cannot lose it.
'use strict';
const { createHmac, randomBytes } = require('crypto');
const { existsSync } = require('fs');
const { basename, dirname, join } = require('path');

const DELIM = Buffer.from('<IDS|MSG>');
const COMM_TYPES = new Set(['comm_info_request', 'comm_open', 'comm_msg', 'comm_close']);

/** A parsed wire message with tslab's ZmqMessage interface (createReply, signAndSend), or null if it is not one. */
function parseMessage(key, frames) {
  const delim = frames.findIndex((f) => Buffer.isBuffer(f) && f.equals(DELIM));
  if (delim < 0 || frames.length < delim + 6) return null;
  const parts = frames.slice(delim + 2, delim + 6).map((f) => f.toString());
  if (key) {
    const hmac = createHmac('sha256', key);
    for (const p of frames.slice(delim + 2)) hmac.update(p);
    if (hmac.digest('hex') !== frames[delim + 1].toString()) return null; // tslab's own handler reports it
  }
  let header;
  let content;
  try {
    header = JSON.parse(parts[0]);
    content = JSON.parse(parts[3]);
  } catch {
    return null;
  }
  return message(frames.slice(0, delim), header, content);
}

function message(identity, parent, content) {
  return {
    identity,
    header: parent,
    content,
    createReply() {
      const reply = message(identity, {
        version: '5.3', date: new Date().toISOString(), session: parent.session, username: parent.username,
        msg_type: parent.msg_type, msg_id: randomBytes(16).toString('hex'),
      }, {});
      reply.parent = parent;
      return reply;
    },
    signAndSend(key, sock) {
      const bodies = [this.header, this.parent ?? {}, {}, this.content].map((b) => JSON.stringify(b));
      const hmac = createHmac('sha256', key ?? '');
      for (const b of bodies) hmac.update(b);
      sock.send([...this.identity, DELIM, key ? hmac.digest('hex') : '', ...bodies]);
    },
  };
}

/** Make one tslab jupyter module's kernel answer comm messages (idempotent). */
function patchJupyter(jupyter) {
  const proto = jupyter && jupyter.ZmqServer && jupyter.ZmqServer.prototype;
  if (!proto || proto.__onthefly_comm || typeof proto.handleShellMessage !== 'function') return;
  const original = proto.handleShellMessage;
  proto.handleShellMessage = async function (sock, ...frames) {
    const key = this.connInfo && this.connInfo.key;
    const msg = parseMessage(key, frames);
    if (!msg || !COMM_TYPES.has(msg.header.msg_type)) return original.call(this, sock, ...frames);
    this.publishStatus('busy', msg);
    try {
      if (msg.header.msg_type === 'comm_info_request') {
        const reply = msg.createReply();
        reply.header.msg_type = 'comm_info_reply';
        reply.content = { status: 'ok', comms: {} };
        reply.signAndSend(key, sock);
      } else if (msg.header.msg_type === 'comm_open') {
        const close = msg.createReply();
        close.header.msg_type = 'comm_close';
        close.content = { comm_id: msg.content && msg.content.comm_id, data: {} };
        close.signAndSend(key, this.iopub);
      }
    } finally {
      this.publishStatus('idle', msg);
    }
  };
  Object.defineProperty(proto, '__onthefly_comm', { value: true });
}

/**
 * tslab hands the kernel over to a tslab installed in the notebook's folder or above it (its
 * findLocalStartKernel); that copy's jupyter module is patched too, found the same way.
 */
function localJupyterModules(start) {
  const out = [];
  for (let dir = start; ; dir = dirname(dir)) {
    const main = join(dir, 'node_modules', 'tslab', 'dist', 'main.js');
    if (basename(dir) !== 'node_modules' && existsSync(main)) {
      out.push(join(dir, 'node_modules', 'tslab', 'dist', 'jupyter.js'));
      break; // tslab stops at the first one
    }
    if (dirname(dir) === dir) break;
  }
  return out;
}

function run() {
  const own = require.resolve('tslab/dist/main.js', { paths: [join(__dirname, '..')] });
  patchJupyter(require(join(dirname(own), 'jupyter.js')));
  for (const file of localJupyterModules(process.cwd())) patchJupyter(require(file));
  require(own).main();
}

if (require.main === module) run();

module.exports = { patchJupyter, parseMessage };
