/* Portal's web UI: the few things a server-rendered page cannot do alone. Loaded on every page
   (no inline script: the pages run under a strict Content-Security-Policy); each part starts when
   its element is on the page, also after htmx swapped it in.
   - .bpmn-diagram: draws a run's process with bpmn-js (loaded on first use) and marks its steps.
   - #run-log: follows a run's event stream (Server-Sent Events), resuming after the last event it
     has after a reconnect; a line is shown once, in event order, and the page's own log (fetched
     with #run-live as events come) fills in any event the stream passed over.
   - .camunda-form: renders an approval task's Camunda form with form-js; its fields go along with
     the decision as JSON. */
(function () {
  'use strict';

  var loaded = {};

  function load(tag, url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var element = document.createElement(tag);
        if (tag === 'script') {
          element.src = url;
        } else {
          element.rel = 'stylesheet';
          element.href = url;
        }
        element.onload = resolve;
        element.onerror = function () { reject(new Error('cannot load ' + url)); };
        document.head.appendChild(element);
      });
    }
    return loaded[url];
  }

  function asset(name) {
    return document.body.getAttribute('data-' + name);
  }

  // --- diagrams

  var STATES = ['completed', 'active', 'waiting', 'failed', 'rejected', 'escalated', 'cancelled'];

  function initDiagram(container) {
    if (container.portalViewer !== undefined) {
      return;
    }
    container.portalViewer = null;
    Promise.all([load('link', asset('diagram-styles')), load('link', asset('bpmn-styles')), load('script', asset('bpmn-script'))])
      .then(function () {
        return fetch(container.getAttribute('data-diagram-href'), {credentials: 'same-origin'});
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('the diagram answered ' + response.status);
        }
        return response.text();
      })
      .then(function (xml) {
        container.innerHTML = '';
        var viewer = new window.BpmnJS({container: container});
        container.portalViewer = viewer;
        return viewer.importXML(xml).then(function () {
          viewer.get('canvas').zoom('fit-viewport', 'auto');
          container.classList.add('bpmn-ready');
          mark(container, container.getAttribute('data-markers'));
        });
      })
      .catch(function (error) {
        container.innerHTML = '';
        var message = document.createElement('p');
        message.className = 'empty';
        message.textContent = 'The diagram cannot be drawn here (' + error.message + '). The steps below show where the run is.';
        container.appendChild(message);
      });
  }

  function mark(container, json) {
    var viewer = container.portalViewer;
    if (!viewer || !json) {
      return;
    }
    var markers;
    try {
      markers = JSON.parse(json);
    } catch (e) {
      return;
    }
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    registry.getAll().forEach(function (element) {
      STATES.forEach(function (state) { canvas.removeMarker(element.id, 'marker-' + state); });
    });
    Object.keys(markers).forEach(function (id) {
      if (registry.get(id)) {
        canvas.addMarker(id, 'marker-' + markers[id]);
      }
    });
    container.setAttribute('data-markers', json);
    container.setAttribute('data-marked', Object.keys(markers).map(function (id) { return id + ':' + markers[id]; }).join(' '));
  }

  // --- the live log

  // Backstage's event types (the stream's event names); Portal's own kind is in body.kind
  var EVENT_TYPES = ['log', 'recovered', 'cancelled', 'completion'];
  var streams = [];

  function initLog(log) {
    if (log.portalStream !== undefined) {
      return;
    }
    log.portalStream = null;
    var state = {log: log, last: Number(log.getAttribute('data-last-event-id') || '0'), source: null, refresh: null, closed: false};
    streams.push(state);
    log.scrollTop = log.scrollHeight;
    if (log.getAttribute('data-live') === 'true') {
      connect(state);
    }
  }

  function connect(state) {
    if (state.closed) {
      return;
    }
    // a new connection asks for what comes after the last event shown; the browser's own
    // reconnects send the same as Last-Event-ID
    var source = new EventSource(state.log.getAttribute('data-events-href') + '?after=' + state.last);
    state.source = source;
    state.log.portalStream = source;
    EVENT_TYPES.forEach(function (type) {
      source.addEventListener(type, function (event) { received(state, event); });
    });
    source.onerror = function () {
      if (!document.body.contains(state.log)) {
        close(state);
      } else if (source.readyState === EventSource.CLOSED && !state.closed) {
        setTimeout(function () { connect(state); }, 2000);
      } else {
        scheduleRefresh(state);
      }
    };
  }

  function shown(log, id) {
    return log.querySelector('li[data-event-id="' + id + '"]') !== null;
  }

  /** Puts a line where its event belongs: the log stays in event order whatever order lines arrive in. */
  function place(log, line, id) {
    var after = null;
    log.querySelectorAll('li[data-event-id]').forEach(function (other) {
      if (Number(other.getAttribute('data-event-id')) < id) {
        after = other;
      }
    });
    if (after === null) {
      log.insertBefore(line, log.firstChild);
    } else {
      after.after(line);
    }
  }

  function received(state, event) {
    var id = Number(event.lastEventId);
    if (!(id > 0) || shown(state.log, id)) {
      return; // shown already (sent again after a reconnect)
    }
    if (!document.body.contains(state.log)) {
      close(state);
      return;
    }
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    state.last = Math.max(state.last, id);
    state.log.setAttribute('data-last-event-id', String(state.last));
    var body = data.body || {};
    var line = document.createElement('li');
    line.className = 'log-line level-' + (body.level || 'info') + ' log-line-new';
    line.setAttribute('data-event-id', String(id));
    var time = document.createElement('time');
    time.textContent = data.createdAt ? new Date(data.createdAt).toISOString().substring(11, 19) : '';
    line.appendChild(time);
    if (body.stepId) {
      line.appendChild(document.createTextNode(' '));
      var step = document.createElement('code');
      step.className = 'log-step';
      step.textContent = body.stepId;
      line.appendChild(step);
    }
    line.appendChild(document.createTextNode(' '));
    var message = document.createElement('span');
    message.className = 'log-message';
    message.textContent = body.message || '';
    line.appendChild(message);
    var log = state.log;
    var following = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    place(log, line, id);
    if (following) {
      log.scrollTop = log.scrollHeight; // keep showing the newest line, unless the reader scrolled up
    }
    scheduleRefresh(state);
  }

  function scheduleRefresh(state) {
    if (state.refresh) {
      return;
    }
    state.refresh = setTimeout(function () {
      state.refresh = null;
      refresh(state);
    }, 250);
  }

  /** Fetches the page again and replaces its live part: status, buttons, steps and the diagram's markers. */
  function refresh(state) {
    var live = document.getElementById('run-live');
    if (!live || !document.body.contains(state.log)) {
      return;
    }
    fetch(window.location.pathname, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) {
          return;
        }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('run-live');
        var current = document.getElementById('run-live');
        if (!fresh || !current) {
          return;
        }
        current.replaceWith(fresh);
        // An event the stream passed over (it committed after a later one) is in the page's own log:
        // the log takes every line it does not show yet, so it ends complete.
        var page = doc.getElementById('run-log');
        if (page) {
          page.querySelectorAll('li[data-event-id]').forEach(function (line) {
            var id = Number(line.getAttribute('data-event-id'));
            if (!shown(state.log, id)) {
              place(state.log, document.importNode(line, true), id);
            }
          });
        }
        if (window.htmx) {
          window.htmx.process(fresh);
        }
        document.querySelectorAll('.bpmn-diagram').forEach(function (diagram) {
          mark(diagram, fresh.getAttribute('data-markers'));
        });
        if (fresh.getAttribute('data-live') !== 'true') {
          finished(state);
        }
      })
      .catch(function () { /* the next event tries again */ });
  }

  function finished(state) {
    close(state);
    state.log.setAttribute('data-live', 'false');
    var label = document.getElementById('log-state');
    if (label) {
      label.textContent = 'finished';
    }
  }

  function close(state) {
    state.closed = true;
    if (state.source) {
      state.source.close();
    }
    streams = streams.filter(function (other) { return other !== state; });
  }

  // --- Camunda forms

  function initForm(container) {
    if (container.portalForm !== undefined) {
      return;
    }
    container.portalForm = null;
    var schema, data;
    try {
      schema = JSON.parse(container.getAttribute('data-form-schema'));
      data = JSON.parse(container.getAttribute('data-form-data') || '{}');
    } catch (e) {
      container.textContent = 'The form cannot be read.';
      return;
    }
    var readonly = container.getAttribute('data-form-readonly') === 'true';
    Promise.all([load('link', asset('form-styles')), load('script', asset('form-script'))])
      .then(function () {
        container.innerHTML = '';
        return window.FormViewer.createForm({container: container, schema: schema, data: data, properties: {readOnly: readonly}});
      })
      .then(function (form) {
        container.portalForm = form;
        container.portalFormData = data;
        container.classList.add('form-ready');
      })
      .catch(function (error) {
        container.textContent = 'The form cannot be shown (' + error.message + '); you can still decide with a comment.';
      });
  }

  /** Before a decision is sent: the form's own fields (not the process's variables it shows) as JSON. */
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('decision-form')) {
      return;
    }
    var container = document.getElementById('camunda-form');
    var viewer = container && container.portalForm;
    if (!viewer) {
      return;
    }
    var result = viewer.submit();
    if (result.errors && Object.keys(result.errors).length > 0) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var initial = container.portalFormData || {};
    var own = {};
    Object.keys(result.data || {}).forEach(function (key) {
      if (!(key in initial) && result.data[key] !== undefined && result.data[key] !== null && result.data[key] !== '') {
        own[key] = result.data[key];
      }
    });
    form.querySelector('input[name=variables]').value = Object.keys(own).length ? JSON.stringify(own) : '';
  }, true);

  // --- start

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll('.bpmn-diagram[data-diagram-href]').forEach(initDiagram);
    scope.querySelectorAll('#run-log[data-events-href]').forEach(initLog);
    scope.querySelectorAll('.camunda-form[data-form-schema]').forEach(initForm);
  }

  document.addEventListener('htmx:load', function (event) { init(event.detail.elt); });
  // leaving a run's page (htmx swaps the main part) ends its stream
  document.addEventListener('htmx:beforeSwap', function () {
    streams.slice().forEach(function (state) {
      setTimeout(function () {
        if (!document.body.contains(state.log)) {
          close(state);
        }
      }, 0);
    });
  });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { init(document); });
  } else {
    init(document);
  }
})();
