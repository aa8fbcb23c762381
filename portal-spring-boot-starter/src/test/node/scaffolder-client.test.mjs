// Compatibility harness: drives a running Portal Scaffolder API with Backstage's OFFICIAL, unmodified
// ScaffolderClient (@backstage/plugin-scaffolder-common) and checks what Backstage's frontend relies on.
//
//   PORTAL_BASE_URL     the server, default http://127.0.0.1:8080 (the API is under /api/scaffolder)
//   PORTAL_PASSWORD     HTTP Basic password of alice (requester) and bob (approver), default demo
//   PORTAL_CONTROL_URL  the test's control server: POST /flaky/fails or /flaky/passes switches the
//                       host action test.flaky (for the retry check)
//
// Run: npm ci && node --test scaffolder-client.test.mjs   (Node 20+, node:test only)
//
// The fixture templates (test-service, approval, waits, flaky) are those of
// BackstageScaffolderClientCompatibilityTests.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScaffolderClient } from '@backstage/plugin-scaffolder-common';

// The client's event stream (fetch-event-source) is written for browsers: it clears its retry timer
// through window and unhooks a visibility listener from document when it stops. Node's timers are
// the same functions; the document is always visible.
globalThis.window ??= globalThis;
globalThis.document ??= { hidden: false, addEventListener() {}, removeEventListener() {} };

const BASE_URL = (process.env.PORTAL_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const PASSWORD = process.env.PORTAL_PASSWORD ?? 'demo';
const CONTROL_URL = process.env.PORTAL_CONTROL_URL;

const basic = user => `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`;

/** A client signed in as `user`, through the client's documented fetchApi and identityApi hooks. */
function clientAs(user, options = {}) {
  return new ScaffolderClient({
    discoveryApi: { getBaseUrl: async pluginId => `${BASE_URL}/api/${pluginId}` },
    fetchApi: {
      fetch: (input, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('Authorization', basic(user));
        return fetch(input, { ...init, headers });
      },
    },
    identityApi: {
      getBackstageIdentity: async () => ({ type: 'user', userEntityRef: `user:default/${user}`, ownershipEntityRefs: [] }),
    },
    scmIntegrationsApi: {},
    ...options,
  });
}

const alice = clientAs('alice');
const alicePolling = clientAs('alice', { useLongPollingLogs: true });

/** Portal's own REST API (the approvals inbox), as `user`. */
async function portal(user, method, path, body) {
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: { Authorization: basic(user), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Every event of an observable until it completes (or fails), with a deadline. */
function collect(observable, onEvent = () => {}, ms = 30000) {
  return new Promise((resolve, reject) => {
    const events = [];
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`no completion within ${ms} ms; got ${JSON.stringify(events.map(e => [e.id, e.type, e.body?.message]))}`));
    }, ms);
    const subscription = observable.subscribe({
      next: event => {
        events.push(event);
        Promise.resolve(onEvent(event, events)).catch(error => {
          clearTimeout(timer);
          subscription.unsubscribe();
          reject(error);
        });
      },
      error: error => {
        clearTimeout(timer);
        reject(error);
      },
      complete: () => {
        clearTimeout(timer);
        resolve(events);
      },
    });
  });
}

async function until(what, probe, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** Step statuses in the order the log events reported them, per step id (as Backstage's task page folds them). */
function stepStatuses(events) {
  const steps = {};
  for (const e of events) {
    if (e.type === 'log' && e.body.stepId && e.body.status) {
      (steps[e.body.stepId] ??= []).push(e.body.status);
    }
  }
  return steps;
}

describe('ScaffolderClient against Portal', () => {
  it('getTemplateParameterSchema returns the pages of a template', async () => {
    const schema = await alice.getTemplateParameterSchema('template:default/test-service');
    assert.equal(schema.title, 'Test service');
    assert.equal(schema.steps.length, 1);
    assert.equal(schema.steps[0].title, 'The service');
    assert.deepEqual(schema.steps[0].schema.required, ['name', 'owner']);
  });

  it('listActions lists the actions with their input schemas', async () => {
    const actions = await alice.listActions();
    const fetchAction = actions.find(a => a.id === 'portal.fetch-template');
    assert.ok(fetchAction, `portal.fetch-template among ${actions.map(a => a.id)}`);
    assert.equal(fetchAction.schema.input.type, 'object');
  });

  it('listTemplatingExtensions answers the shape, naming no extension', async () => {
    assert.deepEqual(await alice.listTemplatingExtensions(), { filters: {}, globals: { functions: {}, values: {} } });
  });

  it('autocomplete answers a 404 the client raises as a ResponseError', async () => {
    await assert.rejects(
      alice.autocomplete({ token: 't', provider: 'github', resource: 'repositories', context: {} }),
      error => error.name === 'ResponseError' && error.response.status === 404
        && error.body?.error?.name === 'NotFoundError' && /github/.test(error.body.error.message));
  });

  it('scaffold runs a template; getTask shows the spec, streamLogs follows the steps to completion', async () => {
    const { taskId } = await alice.scaffold({
      templateRef: 'template:default/test-service',
      values: { name: 'compat-ledger', owner: 'payments' },
    });
    const task = await alice.getTask(taskId);
    assert.equal(task.id, taskId);
    assert.ok(['open', 'processing', 'completed'].includes(task.status), task.status);
    assert.equal(task.spec.apiVersion, 'scaffolder.backstage.io/v1beta3');
    assert.equal(task.spec.templateInfo.entityRef, 'template:default/test-service');
    assert.equal(task.spec.user.ref, 'user:default/alice');
    assert.deepEqual(task.spec.parameters.name, 'compat-ledger');
    assert.ok(!Number.isNaN(Date.parse(task.createdAt)));
    assert.deepEqual(task.spec.steps.map(s => [s.id, s.name, s.action]), [
      ['fetch', 'Fetch the skeleton', 'portal.fetch-template'],
      ['publish', 'Publish', 'portal.publish-git'],
      ['register', 'Register', 'portal.catalog-register'],
      ['announce', 'announce', 'portal.log'],
    ]);

    const events = await collect(alice.streamLogs({ taskId }));
    const last = events.at(-1);
    assert.equal(last.type, 'completion');
    assert.equal(last.body.status, 'completed');
    assert.equal(last.taskId, taskId);
    const ids = events.map(e => e.id);
    assert.ok(ids.every(id => typeof id === 'number'), 'event ids are numbers');
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids ascend');
    const steps = stepStatuses(events);
    for (const step of ['fetch', 'publish', 'register', 'announce']) {
      assert.deepEqual(steps[step], ['processing', 'completed'], `statuses of ${step}`);
    }
    assert.ok(events.some(e => e.type === 'log' && e.body.message === 'Created component:default/compat-ledger'));
    assert.equal((await alice.getTask(taskId)).status, 'completed');

    // the same events by long polling, and after an id only the later ones
    const polled = await collect(alicePolling.streamLogs({ taskId }));
    assert.deepEqual(polled.map(e => [e.id, e.type]), events.map(e => [e.id, e.type]));
    const after = events[2].id;
    const rest = await collect(alicePolling.streamLogs({ taskId, after }));
    assert.deepEqual(rest.map(e => e.id), events.filter(e => e.id > after).map(e => e.id));
  });

  it('an approval task is a step that waits until an approver decides through Portal', async () => {
    const { taskId } = await alice.scaffold({ templateRef: 'template:default/approval', values: {} });
    const task = await alice.getTask(taskId);
    assert.deepEqual(task.spec.steps.map(s => [s.id, s.name, s.action]), [
      ['review', 'Review the request', 'portal:approval'],
      ['announce', 'Announce', 'portal.log'],
    ]);

    let approved = false;
    const events = await collect(alice.streamLogs({ taskId }), async event => {
      if (!approved && event.type === 'log' && event.body.stepId === 'review' && event.body.status === 'processing') {
        approved = true;
        const waiting = await alice.getTask(taskId);
        assert.equal(event.body.message, `waiting for approval: ${waiting.waitingAt[0].name}`, 'the line names the approval');
        assert.equal(waiting.status, 'processing');
        assert.equal(waiting.runStatus, 'waiting-for-approval', "Portal's own status beside Backstage's");
        const approvalTaskId = waiting.waitingAt[0].taskId;
        const decision = await portal('bob', 'POST', `/api/approvals/tasks/${approvalTaskId}/approve`, { comment: 'ship it' });
        assert.equal(decision.status, 200, JSON.stringify(decision.body));
      }
    });
    assert.ok(approved, 'the stream showed the review step waiting');
    assert.deepEqual(stepStatuses(events).review, ['processing', 'completed']);
    assert.equal(events.at(-1).type, 'completion');
    assert.equal(events.at(-1).body.status, 'completed');
    assert.ok(events.some(e => e.body.message === 'approved by user:default/bob'));
  });

  it('a long poll is held while nothing is new and answered when the run is cancelled', async () => {
    const { taskId } = await alice.scaffold({ templateRef: 'template:default/waits', values: {} });
    await until('the run to start', async () => (await alice.getTask(taskId)).status === 'processing');
    const res = await fetch(`${BASE_URL}/api/scaffolder/v2/tasks/${taskId}/events`, { headers: { Authorization: basic('alice') } });
    const sofar = await res.json();
    const after = sofar.at(-1)?.id ?? 0;

    const started = Date.now();
    const held = fetch(`${BASE_URL}/api/scaffolder/v2/tasks/${taskId}/events?after=${after}`, {
      headers: { Authorization: basic('alice') },
    }).then(r => r.json());
    await new Promise(resolve => setTimeout(resolve, 1500));
    await alice.cancelTask(taskId);
    const answered = await held;
    const waited = Date.now() - started;
    console.log(`long poll held ${waited} ms, answered by the cancel`);
    assert.ok(waited >= 1400 && waited < 15000, `held until the cancel, ${waited} ms`);
    assert.deepEqual(answered.map(e => e.type).slice(-2), ['cancelled', 'completion']);
    assert.equal(answered.at(-1).body.status, 'cancelled');
    assert.equal((await alice.getTask(taskId)).status, 'cancelled');

    const stream = await collect(alicePolling.streamLogs({ taskId }));
    assert.equal(stream.at(-1).body.status, 'cancelled');
  });

  it('retry brings a failed run back: recovered, then completion', async () => {
    await fetch(`${CONTROL_URL}/flaky/fails`, { method: 'POST' });
    const { taskId } = await alice.scaffold({ templateRef: 'template:default/flaky', values: {} });
    const failed = await collect(alice.streamLogs({ taskId }));
    assert.equal(failed.at(-1).type, 'completion');
    assert.equal(failed.at(-1).body.status, 'failed');
    assert.equal(failed.at(-1).body.stepId, 'deploy');
    assert.deepEqual(stepStatuses(failed).deploy.at(-1), 'failed');
    assert.equal((await alice.getTask(taskId)).status, 'failed');

    await fetch(`${CONTROL_URL}/flaky/passes`, { method: 'POST' });
    // the engine shows the incident a moment after the failure; until then the retry is refused (409)
    const retried = await until('the retry', async () => {
      try {
        return await alice.retry(taskId);
      } catch (error) {
        if (error.response?.status === 409) return undefined;
        throw error;
      }
    });
    assert.equal(retried.id, taskId);
    const after = failed.at(-1).id;
    const resumed = await collect(alice.streamLogs({ taskId, after }));
    assert.equal(resumed[0].type, 'recovered');
    assert.equal(resumed.at(-1).type, 'completion');
    assert.equal(resumed.at(-1).body.status, 'completed');
    assert.deepEqual(stepStatuses(resumed).deploy, ['processing', 'completed']);
  });

  it('dryRun takes the template entity and answers directoryContents, log and steps', async () => {
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'test-service', namespace: 'default' },
      spec: { type: 'service', steps: [] },
    };
    const result = await alice.dryRun({ template, values: { name: 'dry-ledger', owner: 'payments' }, directoryContents: [] });
    const readme = result.directoryContents.find(f => f.path === 'README.md');
    assert.ok(readme, `README.md among ${result.directoryContents.map(f => f.path)}`);
    assert.match(Buffer.from(readme.base64Content, 'base64').toString('utf8'), /^# dry-ledger/);
    assert.ok(Array.isArray(result.log) && result.log.every(entry => typeof entry.body.message === 'string'));
    assert.deepEqual(result.steps.map(s => s.action), ['portal.fetch-template']);
    assert.equal(typeof result.output, 'object');

    await assert.rejects(
      alice.dryRun({ template, values: { name: 'dry-ledger', owner: 'payments' }, directoryContents: [{ path: 'x', base64Content: '' }] }),
      error => error.response?.status === 400 && /directoryContents/.test(error.body?.error?.message));
  });

  it('listTasks lists the caller\'s runs in Backstage\'s shape', async () => {
    const { tasks } = await alice.listTasks({ filterByOwnership: 'owned', limit: 50 });
    assert.ok(tasks.length >= 4, `alice's runs: ${tasks.length}`);
    for (const task of tasks) {
      assert.ok(['open', 'processing', 'failed', 'cancelled', 'completed', 'skipped'].includes(task.status), task.status);
      assert.equal(task.spec.user.ref, 'user:default/alice');
      assert.match(task.spec.templateInfo.entityRef, /^template:default\//);
    }
    assert.ok(tasks.some(t => t.status === 'cancelled' && t.spec.templateInfo.entityRef === 'template:default/waits'));
  });
});
