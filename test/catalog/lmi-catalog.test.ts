import {
  getInstanceType,
  getLmiImage,
  getModel,
  getTgiImage,
  jumpStartEngine,
  listLmiImageRegions,
  listLmiVersions,
  LMI_CONTAINER_DEFAULTS,
  LMI_RELEASES,
  lmiContainerDefaults,
} from '../../lib/catalog';
import { DJL_LMI27 } from '../../lib/catalog/lmi-images';

describe('LMI images', () => {
  it('builds djl-inference URIs from the SDK table: 763104351884 for most regions, own accounts for opt-in ones', () => {
    expect(getLmiImage('us-east-1').uri).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.36.0-lmi27.0.0-cu130');
    expect(getLmiImage('eu-west-1').accountId).toBe('763104351884');
    expect(getLmiImage('af-south-1').accountId).toBe('626614931356');
    expect(getLmiImage('me-central-1').accountId).toBe('914824155844');
    expect(getLmiImage('il-central-1').accountId).toBe('780543022126');
    expect(listLmiImageRegions()).toHaveLength(34);
  });

  it('pins the tags it relies on, newest first, each with its source line', () => {
    expect(LMI_RELEASES.map((r) => r.tag)).toEqual(['0.36.0-lmi27.0.0-cu130', '0.35.0-lmi17.0.0-cu128', '0.34.0-lmi16.0.0-cu128', '0.33.0-lmi15.0.0-cu128']);
    for (const r of LMI_RELEASES) expect(r.source.url).toMatch(/sagemaker-python-sdk\/blob\/[0-9a-f]{40}\/.*djl-lmi\.json#L\d+$/);
    expect(LMI_RELEASES[0].vllmVersion).toBe('0.23.1.dev4');
    expect(getLmiImage('us-west-2', 'region', '17.0.0').tag).toBe('0.35.0-lmi17.0.0-cu128');
  });

  it('names the field and what is allowed for an unknown region or release', () => {
    expect(() => getLmiImage('cn-north-1', 'deployments[0].region')).toThrow(/deployments\[0\]\.region: no LMI \(djl-inference\) image known for region 'cn-north-1'; regions with an image: af-south-1/);
    expect(() => getLmiImage('us-east-1', 'region', '9.0.0')).toThrow(`no LMI release '9.0.0' in the catalog; known: ${listLmiVersions().join(', ')}`);
  });
});

describe('TGI images', () => {
  it('offers the newest DLC (3.3.6) beside the pinned study-era image (2.3.1, the default)', () => {
    expect(getTgiImage('us-east-1').tag).toBe('2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04');
    expect(getTgiImage('us-east-1', 'region', '3.3.6').uri).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04',
    );
  });
});

describe('JumpStart engines and LMI defaults', () => {
  it("serves the study's models with TGI and Llama 3.1 with LMI, as JumpStart does", () => {
    expect(jumpStartEngine(getModel('llama-2-7b').jumpStartId)).toBe('tgi');
    expect(jumpStartEngine(getModel('qwen2-5-7b-instruct').jumpStartId)).toBe('tgi');
    expect(jumpStartEngine(getModel('llama-3-1-8b').jumpStartId)).toBe('lmi');
    expect(jumpStartEngine(getModel('llama-3-1-70b').jumpStartId)).toBe('lmi');
  });

  it('reads the container defaults and start conditions in the source tree of the pinned release (djl-serving 0.36.0, LMI 27)', () => {
    const pinned = LMI_RELEASES[0];
    expect(pinned?.tag).toBe('0.36.0-lmi27.0.0-cu130');
    expect(DJL_LMI27).toBe(`https://github.com/deepjavalibrary/djl-serving/blob/${pinned?.djlVersion}-lmi${pinned?.lmiVersion.split('.')[0]}-dlc`);
    expect(LMI_CONTAINER_DEFAULTS.source.startsWith(`${DJL_LMI27}/`)).toBe(true);
    expect(pinned?.source.note).toContain(`${DJL_LMI27}/serving/docker/lmi-container-requirements.txt`);
  });

  it('sets the rolling batch size explicitly to what LMI runs in async mode (32, not the documented 256), marked derived', () => {
    const d = lmiContainerDefaults(getModel('llama-3-1-8b'), getInstanceType('ml.g5.2xlarge'));
    expect(LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeAsync).toBe(32);
    expect(LMI_CONTAINER_DEFAULTS.maxRollingBatchSizeDocumented).toBe(256);
    expect(d.lmi).toEqual({ rollingBatch: 'auto', maxRollingBatchSize: 32, maxModelLen: 8192, maxConcurrentRequests: 1000 });
    expect(d.origins.OPTION_MAX_ROLLING_BATCH_SIZE).toMatchObject({ derived: true, why: expect.stringContaining('not the documented 256') });
    expect(d.origins.OPTION_MAX_MODEL_LEN?.why).toMatch(/MAX_TOTAL_TOKENS 8192/);
    expect(d.source.note).toMatch(/meta-textgeneration-llama-3-1-8b v2\.6\.0/);
  });

  it("carries JumpStart's own LMI variables where the spec sets them (70B: OPTION_ENFORCE_EAGER)", () => {
    const d = lmiContainerDefaults(getModel('llama-3-1-70b'), getInstanceType('ml.p4d.24xlarge'));
    expect(d.specEnv).toEqual({ OPTION_ENFORCE_EAGER: 'true' });
    expect(d.origins.OPTION_ENFORCE_EAGER).toMatchObject({ derived: false });
  });
});
