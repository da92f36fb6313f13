import { tf, type Tensor2D } from './tf.js';

/** The hidden-layer non-linearities a window network can use. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky-relu', 'elu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Slope of leaky ReLU for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/** Applies the activation to pre-activations `z`. @internal */
export function activate(name: ActivationName, z: Tensor2D): Tensor2D {
  switch (name) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'leaky-relu':
      return tf.leakyRelu(z, LEAKY_SLOPE);
    case 'elu':
      return tf.elu(z);
  }
}

/**
 * The derivative of the activation at `z`, given also its output `a = activate(z)` (most
 * derivatives are cheapest from the output).
 * @internal
 */
export function activationDerivative(name: ActivationName, z: Tensor2D, a: Tensor2D): Tensor2D {
  switch (name) {
    case 'relu':
      return tf.cast(tf.greater(z, 0), 'float32');
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'leaky-relu':
      return tf.where(tf.greater(z, 0), tf.onesLike(z), tf.fill(z.shape, LEAKY_SLOPE));
    case 'elu':
      // elu(z) = e^z - 1 for z <= 0, so its derivative there is a + 1.
      return tf.where(tf.greater(z, 0), tf.onesLike(z), tf.add(a, 1));
  }
}
