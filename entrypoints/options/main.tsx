import { render } from 'preact';
import { browser } from 'wxt/browser';
import { onProtocolEvent, sendMessage } from '../../core/protocol/runtime';
import { createProtocolOptionsApi } from '../../components/protocol-api';
import { createOptionsModel } from '../../components/options/model';
import { OptionsApp } from '../../components/options/OptionsApp';
import '../../components/styles.css';

const client = { send: sendMessage, onEvent: onProtocolEvent };
// permissions.request runs here, inside the click's gesture, before any message round trip.
const api = createProtocolOptionsApi(client, (origins) => browser.permissions.request({ origins }));
render(<OptionsApp model={createOptionsModel(api)} />, document.getElementById('app')!);
