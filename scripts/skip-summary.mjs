// A node:test reporter that lists every skipped and todo test with its reason, as Markdown. run-tests.mjs
// adds it when GITHUB_STEP_SUMMARY is set, so that each CI job's page says what did not run there and why.
export default async function* skipSummary(source) {
  const skipped = [];
  let ran = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const reason = event.data.skip ?? event.data.todo;
    if (reason === undefined) {
      // A suite that ran is counted through its tests; a skipped one is listed as one line below.
      if (event.data.details?.type !== 'suite') ran++;
      continue;
    }
    const kind = event.data.skip === undefined ? 'todo' : 'skip';
    const where = (event.data.file ?? '').replace(/^.*dist[\\/]test[\\/]/, 'test/').replace(/\.js$/, '.ts');
    skipped.push(`| ${kind} | ${where} | ${event.data.name} | ${reason === true ? '' : reason} |`);
  }
  yield `### Tests on ${process.platform}, Node ${process.versions.node}: ${ran} ran, ${skipped.length} skipped or todo\n\n`;
  if (skipped.length > 0)
    yield ['| | file | test | reason |', '|---|---|---|---|', ...skipped, ''].join('\n');
}
