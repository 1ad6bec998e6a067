import { getInstanceType, listInstanceTypes } from '../catalog';
import type { InstanceTypeSpec } from '../catalog/types';

/** `ml.g5.2xlarge` → `g5-2xlarge`: an instance type name in the characters SageMaker resource names allow. */
export function instanceSlug(instanceName: string): string {
  return instanceName.replace(/^ml\./, '').replace(/\./g, '-');
}

/**
 * A SageMaker hosting instance type of the catalog (`ml.*`), with the accelerator, vCPU and memory
 * facts the constructs size copies and validate layouts with. Build it with `InstanceType.of(name)`
 * or use a constant (`InstanceType.G5_2XLARGE`); an unknown name fails with the known ones listed.
 * (Shape of aws-cdk-lib's `@aws-cdk/aws-sagemaker-alpha` InstanceType, backed by the catalog.)
 */
export class InstanceType {
  /** ml.g5.xlarge: 1 × A10G 24 GB */
  public static readonly G5_XLARGE = InstanceType.of('ml.g5.xlarge');
  /** ml.g5.2xlarge: 1 × A10G 24 GB */
  public static readonly G5_2XLARGE = InstanceType.of('ml.g5.2xlarge');
  /** ml.g5.4xlarge: 1 × A10G 24 GB */
  public static readonly G5_4XLARGE = InstanceType.of('ml.g5.4xlarge');
  /** ml.g5.8xlarge: 1 × A10G 24 GB */
  public static readonly G5_8XLARGE = InstanceType.of('ml.g5.8xlarge');
  /** ml.g5.12xlarge: 4 × A10G 24 GB */
  public static readonly G5_12XLARGE = InstanceType.of('ml.g5.12xlarge');
  /** ml.g5.16xlarge: 1 × A10G 24 GB */
  public static readonly G5_16XLARGE = InstanceType.of('ml.g5.16xlarge');
  /** ml.g5.24xlarge: 4 × A10G 24 GB */
  public static readonly G5_24XLARGE = InstanceType.of('ml.g5.24xlarge');
  /** ml.g5.48xlarge: 8 × A10G 24 GB */
  public static readonly G5_48XLARGE = InstanceType.of('ml.g5.48xlarge');
  /** ml.g6.xlarge: 1 × L4 24 GB */
  public static readonly G6_XLARGE = InstanceType.of('ml.g6.xlarge');
  /** ml.g6.2xlarge: 1 × L4 24 GB */
  public static readonly G6_2XLARGE = InstanceType.of('ml.g6.2xlarge');
  /** ml.g6.12xlarge: 4 × L4 24 GB */
  public static readonly G6_12XLARGE = InstanceType.of('ml.g6.12xlarge');
  /** ml.g6.48xlarge: 8 × L4 24 GB */
  public static readonly G6_48XLARGE = InstanceType.of('ml.g6.48xlarge');
  /** ml.g6e.xlarge: 1 × L40S 48 GB */
  public static readonly G6E_XLARGE = InstanceType.of('ml.g6e.xlarge');
  /** ml.g6e.2xlarge: 1 × L40S 48 GB */
  public static readonly G6E_2XLARGE = InstanceType.of('ml.g6e.2xlarge');
  /** ml.g6e.12xlarge: 4 × L40S 48 GB */
  public static readonly G6E_12XLARGE = InstanceType.of('ml.g6e.12xlarge');
  /** ml.g6e.48xlarge: 8 × L40S 48 GB */
  public static readonly G6E_48XLARGE = InstanceType.of('ml.g6e.48xlarge');
  /** ml.p4d.24xlarge: 8 × A100 40 GB */
  public static readonly P4D_24XLARGE = InstanceType.of('ml.p4d.24xlarge');
  /** ml.p4de.24xlarge: 8 × A100 80 GB */
  public static readonly P4DE_24XLARGE = InstanceType.of('ml.p4de.24xlarge');
  /** ml.p5.48xlarge: 8 × H100 80 GB */
  public static readonly P5_48XLARGE = InstanceType.of('ml.p5.48xlarge');

  /**
   * The catalog's instance type named `name` (`ml.g5.2xlarge`; the `ml.` prefix may be left out).
   * @throws UnknownNameError naming `instanceType` and the closest known names
   */
  public static of(name: string): InstanceType {
    return new InstanceType(getInstanceType(name, 'instanceType'));
  }

  /** Wraps a catalog entry already looked up (e.g. by the fleet resolver). */
  public static fromSpec(spec: InstanceTypeSpec): InstanceType {
    return new InstanceType(spec);
  }

  /** Every instance type the catalog knows. */
  public static all(): InstanceType[] {
    return listInstanceTypes().map((spec) => new InstanceType(spec));
  }

  /** The catalog entry: accelerators, vCPUs, host memory, price, sources. */
  public readonly spec: InstanceTypeSpec;

  private constructor(spec: InstanceTypeSpec) {
    this.spec = spec;
  }

  /** SageMaker name, e.g. `ml.g5.2xlarge`. */
  public get name(): string {
    return this.spec.name;
  }

  /** Accelerators (GPUs) per instance. */
  public get acceleratorCount(): number {
    return this.spec.acceleratorCount;
  }

  /** `ml.g5.2xlarge` → `g5-2xlarge`: a form allowed inside SageMaker resource names. */
  public get slug(): string {
    return instanceSlug(this.spec.name);
  }

  public toString(): string {
    return this.spec.name;
  }
}
