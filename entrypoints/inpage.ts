import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startPageCode } from '../components/inpage/content-script';
import { announcePageCode } from '../components/inpage/handoff';

// The in-page code (help, badges, capture), run by the background (`help.load`) in the frame of
// a content script's loader, which it joins through the isolated world's global object. Run twice
// in one frame, the second copy finds the loader already served and does nothing more.
export default defineUnlistedScript(() => {
  announcePageCode(startPageCode);
});
