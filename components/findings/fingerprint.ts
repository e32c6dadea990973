// One fingerprint for the whole extension: the background stores resolutions under it.
export { findingFingerprint } from '../../core/model/fingerprint';
