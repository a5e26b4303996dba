/** Learning from real outcomes: observations, calibration statistics, the success predictor and the expected-utility rule. */
export * from './calibration';
export * from './expectedUtility';
export * from './insights';
export * from './observations';
export * from './priors';
export * from './successPredictor';
export { logit, sigmoid } from './logistic';
