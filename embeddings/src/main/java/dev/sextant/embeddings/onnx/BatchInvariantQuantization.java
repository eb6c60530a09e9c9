package dev.sextant.embeddings.onnx;

import com.google.protobuf.UnknownFieldSet;
import dev.sextant.embeddings.onnx.OnnxModelProto.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a dynamically quantized encoder give every text the vector it would get alone, whatever it is batched with.
 *
 * <p>ONNX Runtime's {@code quantize_dynamic} graphs (LangChain4j's MiniLM and BGE jars) quantize activations with
 * {@code DynamicQuantizeLinear}, whose scale and zero point come from the min and max of the whole batch tensor,
 * padding included. Batched vectors then drift from single-text vectors (cosine down to 0.96 for short texts), which
 * is why batching was off. This rewrite computes scale and zero point per batch row over that row's real tokens
 * (the attention mask), exactly the numbers a batch of one computes. {@code MatMulInteger} in ONNX Runtime only takes
 * a scalar zero point for its activation input, so the rewritten MatMul runs without it and subtracts
 * {@code zeroPoint[row] * columnSum(weights - weightZeroPoint)} in int32 instead: the integer results are identical.
 */
public final class BatchInvariantQuantization {

    /** The rewritten model, or the input unchanged with the reason when the graph does not have the expected shape. */
    public record Result(byte[] model, int rewrittenQuantizers, String notApplied) {

        public boolean applied() {
            return notApplied == null;
        }
    }

    private static final String PREFIX = "sextant_rowq/";

    private final OnnxModelProto proto;
    private final int opset;
    private final List<Node> out = new ArrayList<>();
    private final List<UnknownFieldSet> constants = new ArrayList<>();
    private final Set<String> initializers;
    private int counter;

    private BatchInvariantQuantization(OnnxModelProto proto) {
        this.proto = proto;
        this.opset = proto.defaultOpset();
        this.initializers = new HashSet<>(proto.initializerNames());
    }

    public static Result rewrite(byte[] model) {
        OnnxModelProto proto = OnnxModelProto.parse(model);
        String reason = new BatchInvariantQuantization(proto).whyNot();
        if (reason != null) {
            return new Result(model, 0, reason);
        }
        return new BatchInvariantQuantization(proto).apply();
    }

    private String whyNot() {
        if (opset < 11) {
            return "operator set " + opset + " is older than 11";
        }
        if (!proto.inputNames().contains("attention_mask")) {
            return "no attention_mask input";
        }
        Map<String, List<Node>> consumers = consumers(proto.nodes());
        int quantizers = 0;
        for (Node node : proto.nodes()) {
            if (!node.opType().equals("DynamicQuantizeLinear") || !node.domain().isEmpty()) {
                continue;
            }
            quantizers++;
            String zeroPoint = node.outputs().get(2);
            for (Node consumer : consumers.getOrDefault(zeroPoint, List.of())) {
                if (!consumer.opType().equals("MatMulInteger") || consumer.inputs().size() < 3
                        || !consumer.inputs().get(2).equals(zeroPoint)
                        || !initializers.contains(consumer.inputs().get(1))) {
                    return "zero point " + zeroPoint + " feeds a " + consumer.opType()
                            + " that is not a MatMulInteger with constant weights";
                }
            }
        }
        return quantizers == 0 ? "no DynamicQuantizeLinear node" : null;
    }

    private Result apply() {
        List<Node> nodes = proto.nodes();
        String mask = PREFIX + "mask";
        out.add(OnnxModelProto.node("Cast", PREFIX + "mask_bool", List.of("attention_mask"),
                List.of(PREFIX + "mask_bool"), OnnxModelProto.intAttribute("to", OnnxModelProto.BOOL)));
        unsqueeze(PREFIX + "mask_bool", mask, 2);
        String zero = constant(OnnxModelProto.floatScalar(PREFIX + "zero", 0f));
        String maxLevel = constant(OnnxModelProto.floatScalar(PREFIX + "q255", 255f));

        Map<String, String> rowZeroPoints = new HashMap<>();
        int rewritten = 0;
        for (Node node : nodes) {
            if (node.opType().equals("DynamicQuantizeLinear") && node.domain().isEmpty()) {
                rowZeroPoints.put(node.outputs().get(2), quantizePerRow(node, mask, zero, maxLevel));
                rewritten++;
            } else if (node.opType().equals("MatMulInteger") && node.inputs().size() >= 3
                    && rowZeroPoints.containsKey(node.inputs().get(2))) {
                correctMatMul(node, rowZeroPoints.get(node.inputs().get(2)));
            } else {
                out.add(node);
            }
        }
        return new Result(proto.withNodes(out, constants), rewritten, null);
    }

    /** Emits the per-row quantizer; returns the name of the int32 zero point, shape [B,1,1]. */
    private String quantizePerRow(Node quantizer, String mask, String zero, String maxLevel) {
        String x = quantizer.inputs().get(0);
        String p = PREFIX + (counter++) + "/";
        // Padding positions become 0, and 0 is always inside the range (as DynamicQuantizeLinear does).
        op("Where", p + "masked", mask, x, zero);
        reduce("ReduceMax", p + "masked", p + "max_raw", 1, 2);
        reduce("ReduceMin", p + "masked", p + "min_raw", 1, 2);
        op("Max", p + "max", p + "max_raw", zero);
        op("Min", p + "min", p + "min_raw", zero);
        op("Sub", p + "range", p + "max", p + "min");
        String scale = quantizer.outputs().get(1);
        op("Div", scale, p + "range", maxLevel);
        op("Neg", p + "neg_min", p + "min");
        op("Div", p + "zp_raw", p + "neg_min", scale);
        op("Clip", p + "zp_clipped", p + "zp_raw", zero, maxLevel);
        op("Round", p + "zp", p + "zp_clipped");
        op("Div", p + "scaled", x, scale);
        op("Round", p + "rounded", p + "scaled");
        op("Add", p + "shifted", p + "rounded", p + "zp");
        op("Clip", p + "levels", p + "shifted", zero, maxLevel);
        cast(p + "levels", quantizer.outputs().get(0), OnnxModelProto.UINT8);
        cast(p + "zp", p + "zp_int", OnnxModelProto.INT32);
        return p + "zp_int";
    }

    /** MatMulInteger without the activation zero point, then minus zeroPoint[row] * columnSum(W - wZeroPoint). */
    private void correctMatMul(Node matMul, String rowZeroPoint) {
        String p = PREFIX + (counter++) + "/";
        List<String> inputs = new ArrayList<>(matMul.inputs());
        inputs.set(2, "");
        String product = p + "uncorrected";
        out.add(matMul.withInputs(inputs).withOutputs(List.of(product)));
        String weights = inputs.get(1);
        cast(weights, p + "w_int", OnnxModelProto.INT32);
        String centred = p + "w_int";
        if (inputs.size() > 3 && !inputs.get(3).isEmpty()) {
            cast(inputs.get(3), p + "wzp_int", OnnxModelProto.INT32);
            op("Sub", p + "w_centred", p + "w_int", p + "wzp_int");
            centred = p + "w_centred";
        }
        reduceSum(centred, p + "column_sum");
        op("Mul", p + "correction", rowZeroPoint, p + "column_sum");
        op("Sub", matMul.outputs().get(0), product, p + "correction");
    }

    private void op(String type, String output, String... inputs) {
        out.add(OnnxModelProto.node(type, output, List.of(inputs), List.of(output)));
    }

    private void cast(String input, String output, int to) {
        out.add(OnnxModelProto.node("Cast", output, List.of(input), List.of(output),
                OnnxModelProto.intAttribute("to", to)));
    }

    private void unsqueeze(String input, String output, long axis) {
        if (opset >= 13) {
            String axes = constant(OnnxModelProto.int64Vector(output + "_axes", axis));
            out.add(OnnxModelProto.node("Unsqueeze", output, List.of(input, axes), List.of(output)));
        } else {
            out.add(OnnxModelProto.node("Unsqueeze", output, List.of(input), List.of(output),
                    OnnxModelProto.intsAttribute("axes", axis)));
        }
    }

    private void reduce(String type, String input, String output, long... axes) {
        if (opset >= 18) {
            String axesName = constant(OnnxModelProto.int64Vector(output + "_axes", axes));
            out.add(OnnxModelProto.node(type, output, List.of(input, axesName), List.of(output),
                    OnnxModelProto.intAttribute("keepdims", 1)));
        } else {
            out.add(OnnxModelProto.node(type, output, List.of(input), List.of(output),
                    OnnxModelProto.intsAttribute("axes", axes), OnnxModelProto.intAttribute("keepdims", 1)));
        }
    }

    /** Sum over the weights' input dimension: one value per output column. */
    private void reduceSum(String input, String output) {
        if (opset >= 13) {
            String axes = constant(OnnxModelProto.int64Vector(output + "_axes", 0));
            out.add(OnnxModelProto.node("ReduceSum", output, List.of(input, axes), List.of(output),
                    OnnxModelProto.intAttribute("keepdims", 0)));
        } else {
            out.add(OnnxModelProto.node("ReduceSum", output, List.of(input), List.of(output),
                    OnnxModelProto.intsAttribute("axes", 0), OnnxModelProto.intAttribute("keepdims", 0)));
        }
    }

    private String constant(UnknownFieldSet tensor) {
        constants.add(tensor);
        return OnnxModelProto.tensorName(tensor);
    }

    private static Map<String, List<Node>> consumers(List<Node> nodes) {
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node node : nodes) {
            for (String input : node.inputs()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        return consumers;
    }
}
