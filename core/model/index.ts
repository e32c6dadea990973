export * from './platform';
export * from './connectwise';
export * from './config';
export * from './report';
export * from './fingerprint';
