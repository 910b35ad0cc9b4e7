/**
 * The screenshot page: mounts Tally's Lightning web components with the LWC engine (synthetic
 * shadow, as in Lightning Experience, so the page's SLDS stylesheet reaches inside them) in a
 * frame shaped like the "Sync Customers" app page of the Tally Hub app. The `lightning/*` modules
 * are the stand-ins in ./modules; the data is the fixture of the scene named in `?scene=`.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import TallyImport from 'c/tallyImport';
import TallyLastRun from 'c/tallyLastRun';
import TallySyncSettings from 'c/tallySyncSettings';
import TallyLinkQueue from 'c/tallyLinkQueue';
import { SCENES, ACCOUNTS, requestedRun } from './fixtures.js';

const scene = new URLSearchParams(location.search).get('scene') || 'running';
window.__harness = { graphql: { ...SCENES[scene] }, accounts: ACCOUNTS, calls: [] };
// As in the org: the Tally_Run__c just created is the newest, Requested until Tally picks it up.
window.__harness.onCreate = (input) => {
    if (input.apiName === 'Tally_Run__c') window.__harness.graphql.tallyLastRun = requestedRun(input.fields);
};

const mount = (region, tag, ctor) => {
    const el = createElement(tag, { is: ctor });
    document.getElementById(region).appendChild(el);
};
mount('region1', 'c-tally-import', TallyImport);
mount('region2', 'c-tally-link-queue', TallyLinkQueue);
mount('region3', 'c-tally-last-run', TallyLastRun);
mount('region3', 'c-tally-sync-settings', TallySyncSettings);

// Lightning Experience shows a component's ShowToastEvent as a toast at the top of the page.
document.addEventListener('lightning__showtoast', (event) => {
    const { title, message, variant = 'info' } = event.detail;
    const box = document.getElementById('toasts');
    box.innerHTML = '';
    const toast = document.createElement('div');
    toast.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
    toast.setAttribute('role', 'status');
    toast.innerHTML = '<div class="slds-notify__content"><h2 class="slds-text-heading_small"></h2><p></p></div>';
    toast.querySelector('h2').textContent = title;
    toast.querySelector('p').textContent = message;
    box.appendChild(toast);
});
