import { matchesEventPattern } from '../../loadtest/local/judges/event-pattern';
import { matchingRules } from '../../loadtest/local/judges/event-rules';
import { synthesizePipeline } from '../../loadtest/offline/synth';
import { studyFleet } from '../offline/fixture';

/**
 * The matcher against AWS's documented examples
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html and
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html),
 * then the synthesized rule against SageMaker's documented sample event.
 */
describe('EventBridge pattern matcher (documented examples)', () => {
  const m = matchesEventPattern;
  it('and across fields, or within a list, nested objects', () => {
    expect(m({ Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(m({ Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
    expect(m({ detail: { state: ['running', 'stopped'] } }, { detail: { state: 'stopped' } })).toBe(true);
    expect(m({ detail: { state: ['running'] } }, { detail: {} })).toBe(false);
    // A list in the event matches when any element matches.
    expect(m({ resources: ['arn:b'] }, { resources: ['arn:a', 'arn:b'] })).toBe(true);
    // Exact values are case-sensitive and typed.
    expect(m({ state: ['Running'] }, { state: 'running' })).toBe(false);
    expect(m({ count: [5] }, { count: '5' })).toBe(false);
  });
  it('prefix, suffix and their ignore-case forms; equals-ignore-case', () => {
    expect(m({ time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(m({ Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' })).toBe(false);
    expect(m({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, { detail: { service: 'eventbridge' } })).toBe(true);
    expect(m({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
    expect(m({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' })).toBe(false);
    expect(m({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { detail: { FileName: 'image.PNG' } })).toBe(true);
    expect(m({ name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' })).toBe(true);
  });
  it('anything-but: value, list, prefix, suffix, ignore case, wildcard', () => {
    expect(m({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'running' } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: { state: 'initializing' } })).toBe(false);
    expect(m({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 456 } })).toBe(true);
    expect(m({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'stopped' } })).toBe(false);
    expect(m({ Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'us-east-1' })).toBe(false);
    expect(m({ Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'eu-west-1' })).toBe(true);
    expect(m({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.txt' })).toBe(true);
    expect(m({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' })).toBe(false);
    expect(m({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/x' })).toBe(false);
    expect(m({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/x' })).toBe(true);
  });
  it('numeric ranges and equality', () => {
    const p = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
    expect(m(p, { detail: { 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 } })).toBe(true);
    expect(m(p, { detail: { 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 } })).toBe(false);
    expect(m(p, { detail: { 'c-count': '5', 'd-count': 7, 'x-limit': 301.8 } })).toBe(false);
  });
  it('exists true/false, empty and null values, wildcard, cidr, $or', () => {
    expect(m({ detail: { state: [{ exists: true }] } }, { detail: { state: 'x' } })).toBe(true);
    expect(m({ detail: { state: [{ exists: false }] } }, { detail: {} })).toBe(true);
    expect(m({ detail: { state: [{ exists: false }] } }, { detail: { state: 'x' } })).toBe(false);
    expect(m({ detail: { state: [{ exists: true }] } }, { detail: {} })).toBe(false);
    expect(m({ LastName: [''] }, { LastName: '' })).toBe(true);
    expect(m({ UserID: [null] }, { UserID: null })).toBe(true);
    expect(m({ UserID: [null] }, {})).toBe(false);
    expect(m({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(true);
    expect(m({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' })).toBe(false);
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, { detail: { 'source-ip': '10.0.0.255' } })).toBe(true);
    expect(m({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, { detail: { 'source-ip': '10.0.1.1' } })).toBe(false);
    const or = { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] };
    expect(m(or, { 'c-count': 9, 'd-count': 3 })).toBe(true);
    expect(m(or, { 'c-count': 9, 'd-count': 30 })).toBe(false);
  });
  it('names the field of a malformed pattern', () => {
    expect(() => m({ detail: { state: 'running' } }, { detail: { state: 'running' } })).toThrow('detail.state must be a list');
    expect(() => m({ n: [{ numeric: ['~', 1] }] }, { n: 1 })).toThrow("n numeric operator '~'");
  });
});

/**
 * SageMaker's documented "SageMaker Endpoint State Change" event (IN_SERVICE), verbatim from
 * https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-endpoint
 */
const DOCUMENTED_IN_SERVICE = {
  version: '0',
  id: 'd2921b5a-b0ad-cace-a8e3-0f159d018e06',
  'detail-type': 'SageMaker Endpoint State Change',
  source: 'aws.sagemaker',
  account: '111122223333',
  time: '1583831889050',
  region: 'us-west-2',
  resources: ['arn:aws:sagemaker:us-west-2:111122223333:endpoint/myendpoint'],
  detail: {
    EndpointName: 'MyEndpoint',
    EndpointArn: 'arn:aws:sagemaker:us-west-2:111122223333:endpoint/myendpoint',
    EndpointConfigName: 'MyEndpointConfig',
    ProductionVariants: [{ DesiredWeight: 1.0, DesiredInstanceCount: 1.0 }],
    EndpointStatus: 'IN_SERVICE',
    CreationTime: 1592411992203.0,
    LastModifiedTime: 1592411994287.0,
    Tags: {},
  },
};

describe("the synthesized rule's pattern against the documented sample event", () => {
  const fleet = studyFleet();
  const { template } = synthesizePipeline(fleet);
  const rules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
  const pattern = rules[0]?.Properties?.EventPattern;
  const endpointName = fleet.deployments[0].endpointName;
  const sample = (detail: Record<string, unknown>) => ({ ...DOCUMENTED_IN_SERVICE, detail: { ...DOCUMENTED_IN_SERVICE.detail, EndpointName: endpointName, ...detail } });

  it('one rule, matching the sample for a fleet endpoint, with and without the optional fields', () => {
    expect(rules).toHaveLength(1);
    expect(matchesEventPattern(pattern, sample({}))).toBe(true);
    const { LastModifiedTime: _l, ProductionVariants: _p, Tags: _t, ...bare } = sample({}).detail;
    expect(matchesEventPattern(pattern, { ...DOCUMENTED_IN_SERVICE, detail: bare })).toBe(true);
  });

  it('the documented event reaches exactly one target: the benchmark launcher state machine', () => {
    const matched = matchingRules(template, sample({}), { region: 'us-east-1', account: '123456789012' });
    expect(matched).toHaveLength(1);
    expect(matched[0]?.targets).toHaveLength(1);
    expect(matched[0]?.targets[0]).toMatch(/^arn:aws:states:us-east-1:123456789012:stateMachine:benchmarktriggerslauncher/);
  });

  it('not for another endpoint, another status or another source', () => {
    expect(matchesEventPattern(pattern, { ...DOCUMENTED_IN_SERVICE })).toBe(false); // MyEndpoint is not in the fleet
    for (const status of ['CREATING', 'UPDATING', 'FAILED', 'ROLLING_BACK', 'DELETING']) {
      expect(matchesEventPattern(pattern, sample({ EndpointStatus: status }))).toBe(false);
    }
    expect(matchesEventPattern(pattern, { ...sample({}), source: 'aws.events' })).toBe(false);
  });
});
