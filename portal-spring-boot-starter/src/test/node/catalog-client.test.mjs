// Compatibility harness: drives a running Portal catalog API with the OFFICIAL, unmodified
// @backstage/catalog-client and checks that every client method behaves as it does against
// Backstage's own catalog backend.
//
//   PORTAL_BASE_URL      catalog base URL, default http://127.0.0.1:8080/api/catalog
//   PORTAL_FIXTURE_FILE  absolute path of a catalog-info.yaml the server can read; default:
//                        ../resources/compat/catalog-info.yaml next to this file
//   PORTAL_TOKEN         optional bearer token (passed to the client as { token })
//   PORTAL_BASIC_AUTH    optional user:password for HTTP Basic (sent through a custom fetchApi)
//   PORTAL_WAIT_MS       how long to wait for asynchronous ingestion, default 60000
//   PORTAL_URL_FIXTURE   optional http(s) URL of a descriptor the server may read over plain HTTP
//                        (its host on the server's allowed hosts and reading allow-list): then
//                        addLocation with type url is checked too
//
// Run: npm ci && npm test   (Node 20+, node:test only)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogClient, CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { parseAllDocuments } from 'yaml';

const BASE_URL = (process.env.PORTAL_BASE_URL ?? 'http://127.0.0.1:8080/api/catalog').replace(/\/+$/, '');
const FIXTURE_FILE =
  process.env.PORTAL_FIXTURE_FILE ??
  fileURLToPath(new URL('../resources/compat/catalog-info.yaml', import.meta.url));
const TOKEN = process.env.PORTAL_TOKEN || undefined;
const BASIC_AUTH = process.env.PORTAL_BASIC_AUTH || undefined;
const WAIT_MS = Number(process.env.PORTAL_WAIT_MS ?? 60000);
const URL_FIXTURE = process.env.PORTAL_URL_FIXTURE || undefined;

const LABEL_KEY = 'metadata.labels.probe-run';
const LABEL = { [LABEL_KEY]: 'compat' };
const LABEL_PREDICATE = { [LABEL_KEY]: 'compat' };
const LOCATION_REF = `file:${FIXTURE_FILE}`;
const VALIDATION_LOCATION = 'url:https://example.com/compat/catalog-info.yaml';

// ---------------------------------------------------------------------------------------------
// What the fixture holds: expectations are computed from the file the server reads, so the two
// cannot drift apart.

assert.ok(isAbsolute(FIXTURE_FILE), `PORTAL_FIXTURE_FILE must be an absolute path, got ${FIXTURE_FILE}`);
const FIXTURE = parseAllDocuments(readFileSync(FIXTURE_FILE, 'utf8')).map(d => d.toJS());
for (const e of FIXTURE) {
  assert.equal(e.metadata?.labels?.['probe-run'], 'compat', `${e.metadata?.name} lacks label probe-run: compat`);
}

const refOf = e => `${e.kind.toLowerCase()}:${(e.metadata.namespace ?? 'default').toLowerCase()}/${e.metadata.name}`;
const namesOf = items => items.map(e => e?.metadata?.name);
const lower = v => String(v).toLowerCase();
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a, b) => compare(lower(a.metadata.name), lower(b.metadata.name));
const fixture = predicate => FIXTURE.filter(predicate);
const sortedNames = (entities, cmp = byName) => namesOf([...entities].sort(cmp));
const chunk = (list, size) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));
const ALL_BY_NAME = sortedNames(FIXTURE);

function facetCounts(entities, path) {
  const counts = new Map();
  for (const e of entities) {
    const value = path.split('.').reduce((v, k) => v?.[k], e);
    for (const v of [value].flat()) {
      if (v !== undefined && v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => compare(a.value, b.value));
}

// ---------------------------------------------------------------------------------------------
// Client set-up: the client unmodified; HTTP Basic only through its documented fetchApi hook.

const basicFetchApi = BASIC_AUTH && {
  fetch: (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Basic ${Buffer.from(BASIC_AUTH).toString('base64')}`);
    return fetch(input, { ...init, headers });
  },
};
const discoveryApi = { getBaseUrl: async () => BASE_URL };
const client = new CatalogClient(basicFetchApi ? { discoveryApi, fetchApi: basicFetchApi } : { discoveryApi });
const anonymousClient = new CatalogClient({ discoveryApi });
const opts = TOKEN ? { token: TOKEN } : undefined;
const AUTHENTICATED = Boolean(TOKEN || BASIC_AUTH);

function authHeaders() {
  const headers = { 'Content-Type': 'application/json' }; // what the client sends on every request
  if (TOKEN) headers.Authorization = `Bearer ${TOKEN}`;
  if (BASIC_AUTH) headers.Authorization = `Basic ${Buffer.from(BASIC_AUTH).toString('base64')}`;
  return headers;
}

/** A request the client has no method for (or whose raw answer we inspect), sent the client's way. */
async function raw(method, path) {
  const res = await fetch(`${BASE_URL}${path}`, { method, headers: authHeaders() });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

/** Asserts that a client call failed with the given status and Backstage error name. */
async function assertResponseError(promise, status, errorName) {
  await assert.rejects(promise, err => {
    assert.equal(err.name, 'ResponseError', `expected a ResponseError, got ${err}`);
    assert.equal(err.response.status, status, `expected HTTP ${status}, got ${err.response.status}`);
    assert.equal(err.body?.error?.name, errorName, `expected error.name ${errorName} in ${JSON.stringify(err.body)}`);
    assert.equal(err.body?.response?.statusCode, status, 'error body must carry response.statusCode');
    assert.equal(typeof err.body?.error?.message, 'string');
    return true;
  });
}

async function waitFor(description, probe) {
  const deadline = Date.now() + WAIT_MS;
  let last;
  for (;;) {
    last = await probe();
    if (last.done) return last.value;
    if (Date.now() > deadline) assert.fail(`timed out after ${WAIT_MS} ms waiting for ${description}; last seen: ${last.seen}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

async function assertServerReachable() {
  try {
    await fetch(`${BASE_URL}/entities?limit=1`, { headers: authHeaders(), signal: AbortSignal.timeout(5000) });
  } catch (e) {
    throw new Error(
      `Portal catalog API is not reachable at ${BASE_URL} (${e.cause?.code ?? e.cause?.message ?? e.message}). ` +
        'Start a host application with the Portal starter and set PORTAL_BASE_URL to its catalog base URL.',
    );
  }
}

// ---------------------------------------------------------------------------------------------

describe(`@backstage/catalog-client 1.16.2 against ${BASE_URL}`, () => {
  let registered; // { location, entities } from addLocation

  before(async () => {
    await assertServerReachable();
    // A previous run that died half-way may have left the fixture registered.
    const stale = await client.getLocationByRef(LOCATION_REF, opts);
    if (stale) await client.removeLocationById(stale.id, opts);
  });

  after(async () => {
    if (registered && (await client.getLocationById(registered.location.id, opts).catch(() => undefined))) {
      await client.removeLocationById(registered.location.id, opts);
    }
  });

  describe('addLocation', () => {
    it('dry run answers 201 with the processed entities and stores nothing', async () => {
      const res = await client.addLocation({ type: 'file', target: FIXTURE_FILE, dryRun: true }, opts);
      assert.equal(res.location.id, LOCATION_REF, 'a dry-run location id is "<type>:<target>"');
      assert.equal(res.location.type, 'file');
      assert.equal(res.location.target, FIXTURE_FILE);
      assert.equal(res.exists, false);
      assert.equal(res.entities[0]?.kind, 'Location', 'the generated Location entity comes first');
      assert.deepEqual(
        namesOf(res.entities.slice(1)).sort(),
        namesOf(FIXTURE).sort(),
        'then every entity read from the target',
      );
      assert.equal(await client.getLocationByRef(LOCATION_REF, opts), undefined, 'a dry run must not register');
    });

    it('registers a file location with 201, entities [] and a UUID id', async () => {
      registered = await client.addLocation({ type: 'file', target: FIXTURE_FILE }, opts);
      assert.match(registered.location.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      assert.equal(registered.location.type, 'file');
      assert.equal(registered.location.target, FIXTURE_FILE);
      assert.match(registered.location.entityRef ?? '', /^location:default\/generated-[0-9a-f]{40}$/);
      assert.deepEqual(registered.entities, []);
    });

    it('ingests the location asynchronously: every fixture entity appears, relations stitched', async () => {
      await waitFor('all fixture entities', async () => {
        const { items } = await client.getEntities({ filter: LABEL, fields: ['metadata.name'] }, opts);
        return { done: items.length === FIXTURE.length, seen: `${items.length}/${FIXTURE.length}` };
      });
      const owned = fixture(e => e.kind !== 'Group').length;
      await waitFor('ownerOf relations on the group', async () => {
        const group = await client.getEntityByRef('group:default/compat-team', opts);
        const count = (group?.relations ?? []).filter(r => r.type === 'ownerOf').length;
        return { done: count === owned, seen: `${count}/${owned} ownerOf` };
      });
    });

    it('refuses a second registration of the same location with 409 ConflictError', async () => {
      await assertResponseError(client.addLocation({ type: 'file', target: FIXTURE_FILE }, opts), 409, 'ConflictError');
    });

    it('dry run of a registered location says it exists', async () => {
      const res = await client.addLocation({ type: 'file', target: FIXTURE_FILE, dryRun: true }, opts);
      assert.equal(res.exists, true);
    });

    it('requires an authenticated caller to write', { skip: !AUTHENTICATED && 'no PORTAL_TOKEN / PORTAL_BASIC_AUTH given' }, async () => {
      await assertResponseError(anonymousClient.refreshEntity('component:default/compat-billing'), 401, 'AuthenticationError');
    });
  });

  describe('addLocation type=url', { skip: !URL_FIXTURE && 'no PORTAL_URL_FIXTURE given' }, () => {
    let urlLocation;

    after(async () => {
      if (urlLocation && (await client.getLocationById(urlLocation.id, opts).catch(() => undefined))) {
        await client.removeLocationById(urlLocation.id, opts);
      }
    });

    /** A failed call's error names what the server said, not only its status. */
    const explained = promise => promise.catch(e => {
      throw new Error(`${e.message}: ${e.body?.error?.message ?? ''}`);
    });

    it('registers a plain HTTP file as a url location, ingests it, and removes it', async () => {
      const stale = await client.getLocationByRef(`url:${URL_FIXTURE}`, opts);
      if (stale) await client.removeLocationById(stale.id, opts);
      const dry = await explained(client.addLocation({ type: 'url', target: URL_FIXTURE, dryRun: true }, opts));
      assert.equal(dry.location.id, `url:${URL_FIXTURE}`);
      assert.deepEqual(namesOf(dry.entities.slice(1)).sort(), ['compat-url-api', 'compat-url-service']);

      const res = await explained(client.addLocation({ type: 'url', target: URL_FIXTURE }, opts));
      urlLocation = res.location;
      assert.match(res.location.id, /^[0-9a-f-]{36}$/i);
      assert.equal(res.location.type, 'url');
      assert.equal(res.location.target, URL_FIXTURE);
      assert.match(res.location.entityRef ?? '', /^location:default\/generated-[0-9a-f]{40}$/);
      assert.deepEqual(res.entities, []);

      const { items } = await waitFor('the url location\'s entities', async () => {
        const found = await client.getEntities({ filter: { 'metadata.labels.probe-run': 'compat-url' } }, opts);
        return { done: found.items.length === 2, seen: `${found.items.length}/2`, value: found };
      });
      const api = items.find(e => e.kind === 'API');
      assert.match(api.spec.definition, /^openapi: 3\.0\.3/, 'the $text substitution is read next to the URL');
      assert.equal(api.metadata.annotations['backstage.io/managed-by-location'], `url:${URL_FIXTURE}`);
      const byEntity = await client.getLocationByEntity('component:default/compat-url-service', opts);
      assert.equal(byEntity?.id, urlLocation.id);

      await assertResponseError(client.addLocation({ type: 'url', target: URL_FIXTURE }, opts), 409, 'ConflictError');
      await client.removeLocationById(urlLocation.id, opts);
      assert.equal(await client.getLocationById(urlLocation.id, opts), undefined);
      urlLocation = undefined;
    });

    it('refuses a url on a host the server may not read from with 403 NotAllowedError', async () => {
      await assertResponseError(
        client.addLocation({ type: 'url', target: 'https://not-allowed.example.com/catalog-info.yaml' }, opts),
        403,
        'NotAllowedError',
      );
    });
  });

  describe('locations', () => {
    it('getLocations lists the registered location (unwrapped from {data})', async () => {
      const { items } = await client.getLocations({}, opts);
      const mine = items.find(l => l.id === registered.location.id);
      assert.deepEqual(
        { id: mine?.id, type: mine?.type, target: mine?.target },
        { id: registered.location.id, type: 'file', target: FIXTURE_FILE },
      );
    });

    it('getLocationByRef finds it by "type:target"', async () => {
      const location = await client.getLocationByRef(LOCATION_REF, opts);
      assert.equal(location?.id, registered.location.id);
    });

    it('getLocationById returns it, and undefined (404) for an unknown id', async () => {
      const location = await client.getLocationById(registered.location.id, opts);
      assert.equal(location?.target, FIXTURE_FILE);
      assert.equal(location?.entityRef, registered.location.entityRef);
      assert.equal(await client.getLocationById('00000000-0000-4000-8000-000000000000', opts), undefined);
    });

    it('getLocationByEntity returns the origin location, and undefined for an unknown entity', async () => {
      const location = await client.getLocationByEntity('component:default/compat-billing', opts);
      assert.equal(location?.id, registered.location.id);
      assert.equal(location?.target, FIXTURE_FILE);
      assert.equal(await client.getLocationByEntity({ kind: 'Component', namespace: 'default', name: 'compat-nope' }, opts), undefined);
    });

    it('analyzeLocation answers 200 with existingEntityFiles and generateEntities', async () => {
      const res = await client.analyzeLocation({ location: { type: 'file', target: FIXTURE_FILE } }, opts);
      assert.ok(Array.isArray(res.existingEntityFiles), 'existingEntityFiles is an array');
      assert.ok(Array.isArray(res.generateEntities), 'generateEntities is an array');
      for (const existing of res.existingEntityFiles) {
        assert.equal(typeof existing.isRegistered, 'boolean');
        assert.equal(typeof existing.location?.type, 'string');
        assert.equal(typeof existing.location?.target, 'string');
        assert.equal(typeof existing.entity?.kind, 'string');
      }
      for (const generated of res.generateEntities) {
        assert.equal(typeof generated.entity, 'object');
        assert.ok(Array.isArray(generated.fields));
      }
    });
  });

  describe('getEntities', () => {
    it('ANDs the conditions of one filter set, case-insensitively, sorted by ref without order', async () => {
      const { items } = await client.getEntities({ filter: { ...LABEL, kind: 'COMPONENT', 'spec.type': 'Service' } }, opts);
      assert.deepEqual(namesOf(items), sortedNames(fixture(e => e.kind === 'Component' && e.spec.type === 'service')));
    });

    it('ORs several filter sets', async () => {
      const { items } = await client.getEntities({ filter: [{ ...LABEL, kind: 'api' }, { ...LABEL, kind: 'system' }] }, opts);
      assert.deepEqual(namesOf(items).sort(), sortedNames(fixture(e => ['API', 'System'].includes(e.kind))).sort());
    });

    it('tests existence with CATALOG_FILTER_EXISTS, also on array items (tags)', async () => {
      const provides = await client.getEntities({ filter: { ...LABEL, 'spec.providesApis': CATALOG_FILTER_EXISTS } }, opts);
      assert.deepEqual(namesOf(provides.items).sort(), sortedNames(fixture(e => e.spec?.providesApis)).sort());
      const java = await client.getEntities({ filter: { ...LABEL, 'metadata.tags.java': CATALOG_FILTER_EXISTS } }, opts);
      assert.deepEqual(namesOf(java.items).sort(), sortedNames(fixture(e => e.metadata.tags?.includes('java'))).sort());
    });

    it('treats a repeated key inside one set as "one of"', async () => {
      const { items } = await client.getEntities({ filter: { ...LABEL, kind: 'component', 'spec.lifecycle': ['deprecated', 'experimental'] } }, opts);
      const expected = fixture(e => e.kind === 'Component' && ['deprecated', 'experimental'].includes(e.spec.lifecycle));
      assert.deepEqual(namesOf(items).sort(), sortedNames(expected).sort());
    });

    it('matches relations as relations.<type>=<targetRef>', async () => {
      const { items } = await client.getEntities({ filter: { ...LABEL, 'relations.consumesapi': 'api:default/compat-billing-api' } }, opts);
      assert.deepEqual(namesOf(items).sort(), sortedNames(fixture(e => e.spec?.consumesApis?.includes('compat-billing-api'))).sort());
    });

    it('prunes each entity to the requested fields', async () => {
      const { items } = await client.getEntities({ filter: LABEL, fields: ['kind', 'metadata.name', 'metadata.does-not-exist'] }, opts);
      assert.equal(items.length, FIXTURE.length);
      for (const item of items) {
        assert.deepEqual(Object.keys(item).sort(), ['kind', 'metadata']);
        assert.deepEqual(Object.keys(item.metadata), ['name']);
      }
    });

    it('orders by a field, descending', async () => {
      const { items } = await client.getEntities({ filter: LABEL, order: { field: 'metadata.name', order: 'desc' } }, opts);
      assert.deepEqual(namesOf(items), [...ALL_BY_NAME].reverse());
    });

    it('orders by several fields and sorts entities lacking the first one last', async () => {
      const { items } = await client.getEntities(
        { filter: LABEL, order: [{ field: 'spec.lifecycle', order: 'asc' }, { field: 'metadata.name', order: 'asc' }] },
        opts,
      );
      const expected = sortedNames(FIXTURE, (a, b) => {
        const [la, lb] = [a.spec?.lifecycle, b.spec?.lifecycle];
        if (la === undefined || lb === undefined) return la === lb ? byName(a, b) : la === undefined ? 1 : -1;
        return compare(lower(la), lower(lb)) || byName(a, b);
      });
      assert.deepEqual(namesOf(items), expected);
    });

    it('pages with offset and limit', async () => {
      const { items } = await client.getEntities({ filter: LABEL, order: { field: 'metadata.name', order: 'asc' }, offset: 2, limit: 3 }, opts);
      assert.deepEqual(namesOf(items), ALL_BY_NAME.slice(2, 5));
    });
  });

  describe('queryEntities', () => {
    const nameAsc = { field: 'metadata.name', order: 'asc' };

    it('pages forward with nextCursor and back with prevCursor, exactly', async () => {
      const expectedPages = chunk(ALL_BY_NAME, 3);
      assert.ok(expectedPages.length > 2, 'the fixture must span more than two pages of 3');

      const first = await client.queryEntities({ filter: LABEL, orderFields: nameAsc, limit: 3, totalItems: 'include' }, opts);
      assert.deepEqual(namesOf(first.items), expectedPages[0]);
      assert.equal(first.totalItems, FIXTURE.length);
      assert.equal('prevCursor' in first.pageInfo, false, 'the first page has no prevCursor key');
      assert.equal(typeof first.pageInfo.nextCursor, 'string');

      const pages = [first];
      while (pages.at(-1).pageInfo.nextCursor) {
        assert.ok(pages.length <= expectedPages.length, 'nextCursor must run out');
        pages.push(await client.queryEntities({ cursor: pages.at(-1).pageInfo.nextCursor, limit: 3 }, opts));
      }
      assert.deepEqual(pages.map(p => namesOf(p.items)), expectedPages);
      assert.equal('nextCursor' in pages.at(-1).pageInfo, false, 'the last page has no nextCursor key');
      for (const page of pages.slice(1)) {
        assert.equal(typeof page.pageInfo.prevCursor, 'string', 'every later page has a prevCursor');
        assert.equal(page.totalItems, FIXTURE.length);
      }

      let current = pages.at(-1);
      for (let i = expectedPages.length - 2; i >= 0; i--) {
        current = await client.queryEntities({ cursor: current.pageInfo.prevCursor, limit: 3 }, opts);
        assert.deepEqual(namesOf(current.items), expectedPages[i], `prevCursor must lead back to page ${i + 1}`);
      }
      assert.equal('prevCursor' in current.pageInfo, false, 'back on the first page there is no prevCursor');
      assert.equal(typeof current.pageInfo.nextCursor, 'string');
    });

    it('filters by a trimmed, case-insensitive full-text term and prunes fields', async () => {
      const res = await client.queryEntities(
        { filter: LABEL, orderFields: nameAsc, fullTextFilter: { term: '  WEB ', fields: ['metadata.name'] }, fields: ['metadata.name'] },
        opts,
      );
      assert.deepEqual(namesOf(res.items), sortedNames(fixture(e => e.metadata.name.includes('web'))));
      assert.equal(res.totalItems, res.items.length);
      for (const item of res.items) assert.deepEqual(Object.keys(item), ['metadata']);
    });

    it('leaves out entities lacking the order field, from items and totalItems', async () => {
      const res = await client.queryEntities({ filter: LABEL, orderFields: { field: 'spec.lifecycle', order: 'desc' }, limit: 50 }, opts);
      const withLifecycle = fixture(e => e.spec?.lifecycle);
      assert.equal(res.totalItems, withLifecycle.length);
      assert.deepEqual(namesOf(res.items).sort(), sortedNames(withLifecycle).sort());
      const lifecycles = res.items.map(e => e.spec.lifecycle);
      assert.deepEqual(lifecycles, [...lifecycles].sort().reverse());
    });

    it('omits totalItems with totalItems: exclude', async () => {
      const res = await client.queryEntities({ filter: LABEL, limit: 1, totalItems: 'exclude' }, opts);
      assert.equal(res.items.length, 1);
      assert.equal(res.totalItems, undefined);
    });

    it('answers predicate queries ($all, $in, $not) and pages them by cursor', async () => {
      const query = {
        $all: [
          LABEL_PREDICATE,
          { kind: 'component' },
          { 'spec.lifecycle': { $in: ['production', 'experimental'] } },
          { $not: { 'spec.type': 'website' } },
        ],
      };
      const expected = sortedNames(
        fixture(e => e.kind === 'Component' && ['production', 'experimental'].includes(e.spec.lifecycle) && e.spec.type !== 'website'),
      );
      let page = await client.queryEntities({ query, orderFields: nameAsc, limit: 2 }, opts);
      assert.equal(page.totalItems, expected.length);
      const seen = [...namesOf(page.items)];
      while (page.pageInfo.nextCursor) {
        assert.ok(seen.length < expected.length, 'nextCursor must run out');
        page = await client.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 2 }, opts);
        assert.ok(page.items.length <= 2);
        seen.push(...namesOf(page.items));
      }
      assert.deepEqual(seen, expected);
    });

    it('answers predicate queries with $any, $contains and $exists', async () => {
      const res = await client.queryEntities(
        { query: { $all: [LABEL_PREDICATE, { $any: [{ kind: 'API' }, { 'metadata.tags': { $contains: 'go' } }] }] }, orderFields: nameAsc },
        opts,
      );
      assert.deepEqual(namesOf(res.items), sortedNames(fixture(e => e.kind === 'API' || e.metadata.tags?.includes('go'))));
      const exists = await client.queryEntities({ query: { $all: [LABEL_PREDICATE, { 'spec.consumesApis': { $exists: true } }] }, orderFields: nameAsc }, opts);
      assert.deepEqual(namesOf(exists.items), sortedNames(fixture(e => e.spec?.consumesApis)));
    });

    it('combines filter and query (the client folds filter into the predicate)', async () => {
      const res = await client.queryEntities({ filter: { kind: 'component' }, query: { ...LABEL_PREDICATE, 'spec.type': 'library' }, orderFields: nameAsc }, opts);
      assert.deepEqual(namesOf(res.items), sortedNames(fixture(e => e.kind === 'Component' && e.spec.type === 'library')));
    });
  });

  describe('streamEntities', () => {
    it('yields every match page by page until nextCursor runs out', async () => {
      const pages = [];
      for await (const page of client.streamEntities({ filter: LABEL, orderFields: { field: 'metadata.name', order: 'asc' }, pageSize: 4 }, opts)) {
        pages.push(namesOf(page));
      }
      assert.deepEqual(pages, chunk(ALL_BY_NAME, 4));
    });
  });

  describe('getEntityByRef', () => {
    it('returns the stored entity with uid, etag, location annotations, authored spec and relations', async () => {
      const entity = await client.getEntityByRef('component:default/compat-billing', opts);
      const authored = FIXTURE.find(e => e.metadata.name === 'compat-billing');
      assert.equal(entity.apiVersion, 'backstage.io/v1alpha1');
      assert.equal(entity.kind, 'Component');
      assert.equal(entity.metadata.name, 'compat-billing');
      assert.equal(entity.metadata.namespace, 'default');
      assert.equal(typeof entity.metadata.uid, 'string');
      assert.equal(typeof entity.metadata.etag, 'string');
      assert.equal(entity.metadata.annotations['backstage.io/managed-by-location'], LOCATION_REF);
      assert.equal(entity.metadata.annotations['backstage.io/managed-by-origin-location'], LOCATION_REF);
      assert.deepEqual(entity.metadata.labels, authored.metadata.labels);
      assert.deepEqual(entity.metadata.tags, authored.metadata.tags);
      assert.deepEqual(entity.spec, authored.spec, 'spec is returned as authored, refs not rewritten');
      const relations = entity.relations.map(r => `${r.type} ${r.targetRef}`);
      for (const expected of ['ownedBy group:default/compat-team', 'partOf system:default/compat-platform', 'providesApi api:default/compat-billing-api']) {
        assert.ok(relations.includes(expected), `missing relation ${expected} in ${relations}`);
      }
      for (const r of entity.relations) assert.deepEqual(Object.keys(r).sort(), ['targetRef', 'type']);
    });

    it('materialises the reverse relations', async () => {
      const api = await client.getEntityByRef('api:default/compat-billing-api', opts);
      const relations = api.relations.map(r => `${r.type} ${r.targetRef}`);
      for (const expected of [
        'apiProvidedBy component:default/compat-billing',
        'apiConsumedBy component:default/compat-catalog-web',
        'apiConsumedBy component:default/compat-checkout',
      ]) {
        assert.ok(relations.includes(expected), `missing relation ${expected} in ${relations}`);
      }
      const inventory = await client.getEntityByRef('component:default/compat-inventory', opts);
      assert.ok(inventory.relations.some(r => r.type === 'dependencyOf' && r.targetRef === 'component:default/compat-checkout'));
    });

    it('accepts object refs, refs without namespace and any letter case', async () => {
      const { metadata: { uid } } = await client.getEntityByRef('component:default/compat-billing', opts);
      for (const ref of [
        { kind: 'Component', namespace: 'default', name: 'compat-billing' },
        { kind: 'COMPONENT', namespace: 'Default', name: 'Compat-Billing' },
        'Component:compat-billing',
      ]) {
        const entity = await client.getEntityByRef(ref, opts);
        assert.equal(entity?.metadata.uid, uid, `ref ${JSON.stringify(ref)}`);
      }
    });

    it('returns undefined for an unknown entity (404 with a NotFoundError body on the wire)', async () => {
      assert.equal(await client.getEntityByRef('component:default/compat-does-not-exist', opts), undefined);
      const res = await raw('GET', '/entities/by-name/component/default/compat-does-not-exist');
      assert.equal(res.status, 404);
      assert.match(res.contentType, /^application\/json/);
      assert.equal(res.body.error.name, 'NotFoundError');
      assert.equal(res.body.response.statusCode, 404);
      assert.equal(res.body.request?.method, 'GET');
    });
  });

  describe('getEntitiesByRefs', () => {
    const refs = ['component:default/compat-checkout', 'component:default/compat-missing', 'api:default/compat-billing-api', 'Component:Default/Compat-Accounts'];

    it('keeps the order of the refs and answers undefined for missing ones', async () => {
      const { items } = await client.getEntitiesByRefs({ entityRefs: refs }, opts);
      assert.deepEqual(namesOf(items), ['compat-checkout', undefined, 'compat-billing-api', 'compat-accounts']);
    });

    it('prunes fields', async () => {
      const { items } = await client.getEntitiesByRefs({ entityRefs: refs, fields: ['metadata.name'] }, opts);
      assert.deepEqual(items[0], { metadata: { name: 'compat-checkout' } });
      assert.equal(items[1], undefined);
    });

    it('answers undefined for entities that do not pass the filter or the query', async () => {
      const filtered = await client.getEntitiesByRefs({ entityRefs: refs, filter: { kind: 'component' } }, opts);
      assert.deepEqual(namesOf(filtered.items), ['compat-checkout', undefined, undefined, 'compat-accounts']);
      const queried = await client.getEntitiesByRefs({ entityRefs: refs, query: { 'spec.type': 'openapi' } }, opts);
      assert.deepEqual(namesOf(queried.items), [undefined, undefined, 'compat-billing-api', undefined]);
    });
  });

  describe('getEntityFacets', () => {
    it('counts values per facet with the GET form (filter), original spelling, sorted by value', async () => {
      const facets = ['kind', 'spec.lifecycle', 'metadata.tags'];
      const res = await client.getEntityFacets({ facets, filter: LABEL }, opts);
      assert.deepEqual(Object.keys(res.facets).sort(), [...facets].sort());
      for (const facet of facets) assert.deepEqual(res.facets[facet], facetCounts(FIXTURE, facet), `facet ${facet}`);
    });

    it('counts values with the predicate form (query)', async () => {
      const res = await client.getEntityFacets({ facets: ['spec.type'], query: { $all: [LABEL_PREDICATE, { kind: 'component' }] } }, opts);
      assert.deepEqual(res.facets['spec.type'], facetCounts(fixture(e => e.kind === 'Component'), 'spec.type'));
    });
  });

  describe('getEntityAncestors', () => {
    it('walks from the entity up to the registered location entity', async () => {
      const res = await client.getEntityAncestors({ entityRef: 'component:default/compat-billing' }, opts);
      assert.equal(res.rootEntityRef, 'component:default/compat-billing');
      const byRef = new Map(res.items.map(item => [refOf(item.entity), item]));
      const root = byRef.get('component:default/compat-billing');
      assert.ok(root, 'the entity itself is an item');
      assert.ok(root.parentEntityRefs.length > 0, 'the entity has a parent');
      for (const item of res.items) {
        for (const parent of item.parentEntityRefs) assert.ok(byRef.has(parent), `parent ${parent} is an item too`);
      }
      const top = byRef.get(registered.location.entityRef);
      assert.ok(top, `the registered location's entity ${registered.location.entityRef} is an ancestor`);
      assert.deepEqual(top.parentEntityRefs, []);
    });
  });

  describe('refreshEntity', () => {
    it('answers exactly 200 for a known entity', async () => {
      assert.equal(await client.refreshEntity('component:default/compat-billing', opts), undefined);
    });

    it('fails with 404 NotFoundError for an unknown entity', async () => {
      await assertResponseError(client.refreshEntity('component:default/compat-does-not-exist', opts), 404, 'NotFoundError');
    });
  });

  describe('validateEntity', () => {
    const valid = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'compat-validated' },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:default/compat-team' },
    };

    it('accepts a valid entity', async () => {
      assert.deepEqual(await client.validateEntity(valid, VALIDATION_LOCATION, opts), { valid: true });
    });

    it('rejects an entity without apiVersion with a list of errors', async () => {
      const { apiVersion, ...withoutApiVersion } = valid;
      const res = await client.validateEntity(withoutApiVersion, VALIDATION_LOCATION, opts);
      assert.equal(res.valid, false);
      assert.ok(res.errors.length > 0);
      for (const error of res.errors) {
        assert.equal(typeof error.name, 'string');
        assert.equal(typeof error.message, 'string');
      }
    });

    it('rejects an invalid metadata.name', async () => {
      const res = await client.validateEntity({ ...valid, metadata: { name: 'bad name!' } }, VALIDATION_LOCATION, opts);
      assert.equal(res.valid, false);
      assert.ok(res.errors.some(e => e.message.includes('bad name!')), JSON.stringify(res.errors));
    });
  });

  describe('removeEntityByUid', () => {
    it('deletes the entity: by-uid answers 404 afterwards', async () => {
      const entity = await client.getEntityByRef('component:default/compat-ui-kit', opts);
      const uid = entity.metadata.uid;
      const before = await raw('GET', `/entities/by-uid/${encodeURIComponent(uid)}`);
      assert.equal(before.status, 200);
      assert.equal(before.body.metadata.name, 'compat-ui-kit');

      await client.removeEntityByUid(uid, opts);

      const afterDelete = await raw('GET', `/entities/by-uid/${encodeURIComponent(uid)}`);
      assert.equal(afterDelete.status, 404);
      assert.equal(afterDelete.body.error.name, 'NotFoundError');
      const again = await client.getEntityByRef('component:default/compat-ui-kit', opts);
      assert.ok(again === undefined || again.metadata.uid !== uid, 'if it re-appears from its source, it has a new uid');
    });

    it('answers 2xx for an unknown uid', async () => {
      await client.removeEntityByUid('00000000-0000-4000-8000-000000000000', opts);
    });
  });

  describe('removeLocationById', () => {
    it('unregisters the location', async () => {
      await client.removeLocationById(registered.location.id, opts);
      assert.equal(await client.getLocationById(registered.location.id, opts), undefined);
      assert.equal(await client.getLocationByRef(LOCATION_REF, opts), undefined);
      registered = undefined;
    });
  });
});
