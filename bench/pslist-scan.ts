// The reference a ps-list user would write: list every process, keep the mod_wsgi ones.
import psList from 'ps-list';

const found = (await psList()).filter((p) => (p.cmd ?? '').includes('wsgi:'));
process.stdout.write(`${JSON.stringify(found)}\n`);
