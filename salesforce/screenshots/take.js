/**
 * Screenshots of the package's Lightning web components, for the README.
 *
 *   node salesforce/screenshots/take.js           (writes docs/screenshots/lwc-*.png)
 *   node salesforce/screenshots/take.js --serve   (only serves the page, to look at it)
 *
 * Bundles ./entry.js with Rollup and the LWC compiler (@lwc/rollup-plugin, the compiler Salesforce
 * uses), with stand-ins for the `lightning/*` base components that render the SLDS blueprints,
 * serves it with the SLDS stylesheet and icons on 127.0.0.1, drives it in Debian's Chromium
 * (/usr/bin/chromium, through playwright-core) and checks what each click wrote before taking
 * the picture. It is not Lightning Experience: the base components are stand-ins, and the data
 * comes from ./fixtures.js instead of the org.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const lwcDir = join(repo, 'salesforce/force-app/main/default/lwc');
const out = join(repo, 'docs/screenshots');
const require = createRequire(import.meta.url);
// The engine that matches @lwc/rollup-plugin's compiler is the one the `lwc` package carries.
const lwcRoot = dirname(require.resolve('lwc'));
const engine = (name) => join(dirname(require.resolve(`@lwc/${name}/package.json`, { paths: [lwcRoot] })), 'dist/index.js');
const slds = dirname(require.resolve('@salesforce-ux/design-system/package.json'));

/**
 * `@salesforce/schema/Obj.Field` as the platform resolves it (`{ objectApiName, fieldApiName }`),
 * `@salesforce/messageChannel/X__c`, and the engine and synthetic shadow matching the compiler.
 */
const schemaModules = {
    name: 'salesforce-schema',
    resolveId(id) {
        if (id.startsWith('@salesforce/schema/') || id.startsWith('@salesforce/messageChannel/')) return `\0${id}`;
        if (id === 'lwc') return engine('engine-dom');
        if (id === '@lwc/synthetic-shadow') return engine('synthetic-shadow');
        return null;
    },
    // The engine reads process.env.NODE_ENV, which a browser does not have.
    transform(code) {
        return code.includes('process.env.NODE_ENV') ? code.replace(/process\.env\.NODE_ENV/g, '"production"') : null;
    },
    load(id) {
        // A message channel is referred to by its name.
        if (id.startsWith('\0@salesforce/messageChannel/')) return `export default ${JSON.stringify(id.slice('\0@salesforce/messageChannel/'.length))};`;
        if (!id.startsWith('\0@salesforce/schema/')) return null;
        const [objectApiName, fieldApiName] = id.slice('\0@salesforce/schema/'.length).split('.');
        return `export default ${JSON.stringify(fieldApiName ? { objectApiName, fieldApiName } : { objectApiName })};`;
    }
};

async function bundle() {
    const components = readdirSync(lwcDir).map((name) => ({ name: `c/${name}`, path: join(lwcDir, name, `${name}.js`) }));
    const build = await rollup({
        input: join(here, 'entry.js'),
        plugins: [schemaModules, lwc({ rootDir: here, modules: [...components, { dir: join(here, 'modules') }], defaultModules: [] })],
        onwarn(warning, warn) {
            if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
        }
    });
    const { output } = await build.generate({ format: 'iife', name: 'harness' });
    await build.close();
    return output[0].code;
}

function page() {
    const nav = ['Sync Customers', 'QBO Customers', 'Accounts', 'Tally Runs']
        .map((t, i) => `<li class="slds-context-bar__item${i === 0 ? ' slds-is-active' : ''}"><a href="#" class="slds-context-bar__label-action" title="${t}"><span class="slds-truncate">${t}</span></a></li>`)
        .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tally Hub · Sync Customers</title>
<link rel="stylesheet" href="/slds.css">
<style>html,body{background:#f3f3f3;margin:0;min-height:100%} .harness-button-group lightning-button + lightning-button{margin-left:.25rem}
#toasts{position:fixed;top:3.5rem;left:0;right:0;display:flex;justify-content:center;z-index:9000}</style></head>
<body>
<div class="slds-context-bar"><div class="slds-context-bar__primary"><div class="slds-context-bar__item slds-no-hover">
<span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate">Tally Hub</span></span></div></div>
<nav class="slds-context-bar__secondary" role="navigation"><ul class="slds-grid">${nav}</ul></nav></div>
<div id="toasts"></div>
<main class="slds-p-around_small">
<div id="region1" class="slds-m-bottom_small"></div>
<div class="slds-grid slds-gutters_x-small"><div id="region2" class="slds-col slds-size_7-of-12"></div>
<div id="region3" class="slds-col slds-size_5-of-12" style="display:flex;flex-direction:column;gap:.75rem"></div></div>
</main><script src="/bundle.js"></script></body></html>`;
}

function serve(code) {
    const files = {
        '/': ['text/html', page()],
        '/favicon.ico': ['image/x-icon', ''],
        '/bundle.js': ['text/javascript', code],
        '/slds.css': ['text/css', readFileSync(join(slds, 'assets/styles/salesforce-lightning-design-system.min.css'))]
    };
    const server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const file = files[path];
        if (file) {
            res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
            return;
        }
        // The stylesheet's fonts and images, from the design system's assets.
        if (path.startsWith('/assets/')) {
            try {
                // <use> only renders an external sprite served as SVG.
                const type = { svg: 'image/svg+xml', woff2: 'font/woff2', woff: 'font/woff', png: 'image/png' }[path.split('.').pop()];
                res.writeHead(200, type ? { 'content-type': type } : {}).end(readFileSync(join(slds, path)));
                return;
            } catch {
                // fall through to 404
            }
        }
        res.writeHead(404).end();
    });
    return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const expectEqual = (what, actual, expected) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
};

async function main() {
    mkdirSync(out, { recursive: true });
    const server = await serve(await bundle());
    const base = `http://127.0.0.1:${server.address().port}/`;
    const errors = [];
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
        const p = await context.newPage();
        p.on('pageerror', (e) => errors.push(e.message));
        p.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
        });
        p.setDefaultTimeout(10000);
        const shot = async (name, locator) => {
            if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
            await (locator ?? p).screenshot({ path: join(out, `${name}.png`), ...(locator ? {} : { fullPage: true }) });
            console.log(`docs/screenshots/${name}.png`);
        };
        const calls = () => p.evaluate(() => window.__harness.calls);

        // 1. The page while a run is going.
        await p.goto(`${base}?scene=running`);
        await p.getByText('Running: 18 customers seen so far.').waitFor();
        await shot('lwc-sync-customers');

        // 2. Link Account on an ambiguous customer: the AccountId lookup, searching.
        const coolCars = p.locator('li[data-id="a0B000000000002"]');
        await coolCars.getByRole('button', { name: 'Link Account' }).click();
        await coolCars.getByRole('combobox', { name: 'AccountId' }).fill('Cool');
        await coolCars.getByRole('option', { name: /Cool Cars \(Redwood City\)/ }).waitFor();
        await shot('lwc-link-account', p.locator('c-tally-link-queue'));

        // 3. Pick and Update: a Manual link, the row leaves the queue, a toast says so.
        await coolCars.getByRole('option', { name: /Cool Cars \(Redwood City\)/ }).click();
        await coolCars.getByRole('button', { name: 'Update' }).click();
        await p.getByText('Linked Cool Cars').waitFor();
        expectEqual('Update', await calls(), [
            { updateRecord: { fields: { Id: 'a0B000000000002', Account__c: '001000000000003', Link_Status__c: 'Manual' } } }
        ]);
        await shot('lwc-linked');

        // 4. Sync Settings → Update: the field groups as checkboxes.
        await p.goto(`${base}?scene=running`);
        const settings = p.locator('c-tally-sync-settings');
        await settings.getByRole('button', { name: 'Update' }).click();
        await settings.getByText('Website').click();
        await shot('lwc-sync-settings', settings);
        await settings.getByRole('button', { name: 'Save' }).click();
        await p.getByText('Sync Settings saved').waitFor();
        expectEqual('Save', await calls(), [
            { updateRecord: { fields: { Id: 'a0E000000000001', Synced_Field_Groups__c: 'names;company;contact;website;billing;shipping;additional' } } }
        ]);

        // 5. Start Import: a Tally Run request.
        await p.getByRole('button', { name: 'Start Import' }).click();
        await p.getByText('Import requested').waitFor();
        await p.getByText('Requested: 0 customers seen so far.').waitFor();
        expectEqual('Start Import', (await calls()).slice(1), [
            { createRecord: { apiName: 'Tally_Run__c', fields: { Mode__c: 'import', Dry_Run__c: false, Status__c: 'Requested', QBO_Realm_Id__c: '9341455130166501' } } }
        ]);
        await shot('lwc-start-import', p.locator('body'));

        // 6. A finished run with problems.
        await p.goto(`${base}?scene=partial`);
        await p.getByText('Problems').waitFor();
        await shot('lwc-last-run-partial', p.locator('c-tally-last-run'));
    } catch (e) {
        throw new Error(`${e.message}${errors.length ? `\npage errors: ${errors.join('\n')}` : ''}`, { cause: e });
    } finally {
        await browser.close();
        server.close();
    }
}

if (process.argv.includes('--serve')) {
    // Only serve the page (Ctrl-C to stop), to look at it in a browser.
    const server = await serve(await bundle());
    console.log(`http://127.0.0.1:${server.address().port}/?scene=running (or ?scene=partial)`);
} else {
    await main();
}
