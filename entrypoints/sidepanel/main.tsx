import { render } from 'preact';
import { browser } from 'wxt/browser';
import { onProtocolEvent, sendMessage } from '../../core/protocol/runtime';
import { createProtocolPanelApi } from '../../components/protocol-api';
import { createPanelModel } from '../../components/panel/model';
import { PanelApp } from '../../components/panel/PanelApp';
import '../../components/styles.css';

// Thin wiring: the protocol client over browser.runtime, the model over it, the app over that.
const client = { send: sendMessage, onEvent: onProtocolEvent };
const api = createProtocolPanelApi(client);
const model = createPanelModel(api);
api.onPageChange?.((page) => {
  model.setPage(page);
  void model.refreshStart();
});
client.onEvent((event) => {
  if (event.event === 'data.changed' && event.stores.some((s) => s === 'captures' || s === 'runs')) void model.refreshStart();
  if (event.event === 'panel.focus') model.focus(event.fingerprint);
});

render(<PanelApp model={model} onOpenOptions={() => void browser.runtime.openOptionsPage()} />, document.getElementById('app')!);
