// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} as httpd writes it is what is tested
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Defines, ExpansionTooLongError, MAX_EXPANDED_CHARS } from '../../../src/apache/config/variables.js';

describe('Defines', () => {
  it('define makes a name <IfDefine> tests case-sensitively, and a value ${} finds case-blind', () => {
    const defines = new Defines({});
    defines.define('Prod', 'shop');
    assert.ok(defines.names.has('Prod'));
    assert.ok(!defines.names.has('PROD'));
    assert.equal(defines.expand('/srv/${Prod}/${PROD}/${prod}'), '/srv/shop/shop/shop');
  });

  it('a define without a value names only: ${NAME} stays as written', () => {
    const defines = new Defines({});
    defines.define('FLAG', undefined);
    assert.ok(defines.names.has('FLAG'));
    assert.equal(defines.expand('x${FLAG}y'), 'x${FLAG}y');
  });

  it('undefine removes both the name and the value, whatever the value case', () => {
    const defines = new Defines({});
    defines.define('App', 'dj');
    defines.undefine('App');
    assert.ok(!defines.names.has('App'));
    assert.equal(defines.expand('${App}'), '${App}');
  });

  it('falls back to the environment (case-sensitive there), a Define winning over it', () => {
    const defines = new Defines({ APACHE_RUN_USER: 'www-data', HOME: '/root' });
    assert.equal(defines.expand('${APACHE_RUN_USER}:${apache_run_user}'), 'www-data:${apache_run_user}');
    defines.define('HOME', '/srv');
    assert.equal(defines.expand('${HOME}'), '/srv');
  });

  it('leaves unknown names and text without ${} as written', () => {
    const defines = new Defines({});
    assert.equal(defines.expand('$HOME ${} ${NOPE} {x}'), '$HOME ${} ${NOPE} {x}');
  });

  it('throws ExpansionTooLongError rather than pass 64 KiB, and allows exactly the cap', () => {
    assert.equal(MAX_EXPANDED_CHARS, 65536);
    const defines = new Defines({});
    defines.define('K', 'x'.repeat(1024));
    assert.equal(defines.expand('${K}'.repeat(64)).length, 65536);
    assert.throws(() => defines.expand(`${'${K}'.repeat(64)}!`), ExpansionTooLongError);
    assert.throws(() => defines.expand('${K}${K}', 2000), /more than 2000 characters/);
  });

  it('does not expand a value again (no doubling through nested ${})', () => {
    const defines = new Defines({});
    defines.define('A', '${B}');
    defines.define('B', 'b');
    assert.equal(defines.expand('${A}'), '${B}');
  });
});
