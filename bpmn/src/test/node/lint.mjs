// Reads BPMN files as Camunda Modeler does (bpmn-moddle with the zeebe extension) and lints them
// with the rules Modeler applies for Camunda 8.8 (bpmnlint-plugin-camunda-compat). Prints every
// import warning and every reported problem; exits 1 if there is any.
// Usage: node lint.mjs <file.bpmn>...  (env PORTAL_LINT_OFF: comma-separated rules switched off)
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver.js';

const off = Object.fromEntries((process.env.PORTAL_LINT_OFF || '').split(',').filter(Boolean).map((rule) => [rule, 'off']));
const moddle = new BpmnModdle({ zeebe });
const linter = new Linter({ resolver: new NodeResolver() });
let problems = 0;
for (const file of process.argv.slice(2)) {
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
  for (const warning of warnings) {
    console.log(`${file}: import warning: ${warning.message}`);
    problems++;
  }
  const results = await linter.lint(rootElement, { extends: ['plugin:camunda-compat/camunda-cloud-8-8'], rules: off });
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      console.log(`${file}: ${report.category} ${rule} at ${report.id}: ${report.message}`);
      problems++;
    }
  }
}
console.log(`${problems} problem(s) in ${process.argv.length - 2} file(s)`);
process.exit(problems ? 1 : 0);
