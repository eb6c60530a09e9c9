package dev.sextant.embeddings.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the ONNX protobuf schema (onnx.proto field numbers) to read a model's nodes and write a changed
 * node list back, without generated classes. Fields this class does not know are carried over untouched.
 */
final class OnnxModelProto {

    // ModelProto
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_GRAPH = 7;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    // AttributeProto
    private static final int ATTR_NAME = 1;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto
    private static final int VALUE_INFO_NAME = 1;

    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;

    /** One graph node: what the rewrite needs to see, plus its original bytes for everything else. */
    record Node(String opType, String domain, List<String> inputs, List<String> outputs, UnknownFieldSet raw) {

        Node withInputs(List<String> newInputs) {
            return new Node(opType, domain, newInputs, outputs, replaceStrings(raw, NODE_INPUT, newInputs));
        }

        Node withOutputs(List<String> newOutputs) {
            return new Node(opType, domain, inputs, newOutputs, replaceStrings(raw, NODE_OUTPUT, newOutputs));
        }
    }

    private final UnknownFieldSet model;
    private final UnknownFieldSet graph;

    private OnnxModelProto(UnknownFieldSet model, UnknownFieldSet graph) {
        this.model = model;
        this.graph = graph;
    }

    static OnnxModelProto parse(byte[] modelBytes) {
        try {
            UnknownFieldSet model = UnknownFieldSet.parseFrom(modelBytes);
            List<ByteString> graphs = lengthDelimited(model, MODEL_GRAPH);
            if (graphs.size() != 1) {
                throw new IllegalArgumentException("not an ONNX model: expected one graph, found " + graphs.size());
            }
            return new OnnxModelProto(model, UnknownFieldSet.parseFrom(graphs.get(0)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** Version of the default ("" / ai.onnx) operator set, or -1 when the model does not import it. */
    int defaultOpset() {
        for (ByteString bytes : lengthDelimited(model, MODEL_OPSET_IMPORT)) {
            UnknownFieldSet opset = parseUnchecked(bytes);
            String domain = firstString(opset, OPSET_DOMAIN, "");
            if (domain.isEmpty() || domain.equals("ai.onnx")) {
                List<Long> version = opset.getField(OPSET_VERSION).getVarintList();
                return version.isEmpty() ? -1 : version.get(0).intValue();
            }
        }
        return -1;
    }

    List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (ByteString bytes : lengthDelimited(graph, GRAPH_INPUT)) {
            names.add(firstString(parseUnchecked(bytes), VALUE_INFO_NAME, ""));
        }
        return names;
    }

    List<String> initializerNames() {
        List<String> names = new ArrayList<>();
        for (ByteString bytes : lengthDelimited(graph, GRAPH_INITIALIZER)) {
            names.add(firstString(parseUnchecked(bytes), TENSOR_NAME, ""));
        }
        return names;
    }

    List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (ByteString bytes : lengthDelimited(graph, GRAPH_NODE)) {
            UnknownFieldSet raw = parseUnchecked(bytes);
            nodes.add(new Node(firstString(raw, NODE_OP_TYPE, ""), firstString(raw, NODE_DOMAIN, ""),
                    strings(raw, NODE_INPUT), strings(raw, NODE_OUTPUT), raw));
        }
        return nodes;
    }

    /** The model with its node list replaced and the given initializers appended. */
    byte[] withNodes(List<Node> nodes, List<UnknownFieldSet> extraInitializers) {
        UnknownFieldSet.Field.Builder nodeField = UnknownFieldSet.Field.newBuilder();
        nodes.forEach(n -> nodeField.addLengthDelimited(n.raw().toByteString()));
        UnknownFieldSet.Field.Builder initializers = UnknownFieldSet.Field.newBuilder()
                .mergeFrom(graph.getField(GRAPH_INITIALIZER));
        extraInitializers.forEach(t -> initializers.addLengthDelimited(t.toByteString()));
        UnknownFieldSet newGraph = UnknownFieldSet.newBuilder(graph)
                .clearField(GRAPH_NODE).addField(GRAPH_NODE, nodeField.build())
                .clearField(GRAPH_INITIALIZER).addField(GRAPH_INITIALIZER, initializers.build())
                .build();
        return UnknownFieldSet.newBuilder(model)
                .clearField(MODEL_GRAPH)
                .addField(MODEL_GRAPH, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(newGraph.toByteString()).build())
                .build().toByteArray();
    }

    static Node node(String opType, String name, List<String> inputs, List<String> outputs,
                     UnknownFieldSet... attributes) {
        UnknownFieldSet.Builder raw = UnknownFieldSet.newBuilder()
                .addField(NODE_INPUT, stringsField(inputs))
                .addField(NODE_OUTPUT, stringsField(outputs))
                .addField(NODE_NAME, stringsField(List.of(name)))
                .addField(NODE_OP_TYPE, stringsField(List.of(opType)));
        if (attributes.length > 0) {
            UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
            for (UnknownFieldSet attribute : attributes) {
                field.addLengthDelimited(attribute.toByteString());
            }
            raw.addField(NODE_ATTRIBUTE, field.build());
        }
        return new Node(opType, "", List.copyOf(inputs), List.copyOf(outputs), raw.build());
    }

    static UnknownFieldSet intAttribute(String name, long value) {
        return UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, stringsField(List.of(name)))
                .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTR_TYPE_INT).build())
                .addField(ATTR_I, UnknownFieldSet.Field.newBuilder().addVarint(value).build())
                .build();
    }

    static UnknownFieldSet intsAttribute(String name, long... values) {
        UnknownFieldSet.Field.Builder ints = UnknownFieldSet.Field.newBuilder();
        for (long v : values) {
            ints.addVarint(v);
        }
        return UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, stringsField(List.of(name)))
                .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTR_TYPE_INTS).build())
                .addField(ATTR_INTS, ints.build())
                .build();
    }

    static UnknownFieldSet floatScalar(String name, float value) {
        ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return tensor(name, FLOAT, new long[0], raw.array());
    }

    static UnknownFieldSet int64Vector(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return tensor(name, INT64, new long[] {values.length}, raw.array());
    }

    private static UnknownFieldSet tensor(String name, int dataType, long[] dims, byte[] littleEndianData) {
        UnknownFieldSet.Field.Builder dimField = UnknownFieldSet.Field.newBuilder();
        for (long d : dims) {
            dimField.addVarint(d);
        }
        UnknownFieldSet.Builder tensor = UnknownFieldSet.newBuilder();
        if (dims.length > 0) {
            tensor.addField(TENSOR_DIMS, dimField.build());
        }
        return tensor
                .addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(dataType).build())
                .addField(TENSOR_NAME, stringsField(List.of(name)))
                .addField(TENSOR_RAW_DATA, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFrom(littleEndianData)).build())
                .build();
    }

    static String tensorName(UnknownFieldSet tensor) {
        return firstString(tensor, TENSOR_NAME, "");
    }

    private static UnknownFieldSet replaceStrings(UnknownFieldSet raw, int field, List<String> values) {
        return UnknownFieldSet.newBuilder(raw).clearField(field).addField(field, stringsField(values)).build();
    }

    private static UnknownFieldSet.Field stringsField(List<String> values) {
        UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
        values.forEach(v -> field.addLengthDelimited(ByteString.copyFromUtf8(v)));
        return field.build();
    }

    private static List<String> strings(UnknownFieldSet set, int field) {
        return lengthDelimited(set, field).stream().map(ByteString::toStringUtf8).toList();
    }

    private static String firstString(UnknownFieldSet set, int field, String absent) {
        List<ByteString> values = lengthDelimited(set, field);
        return values.isEmpty() ? absent : values.get(0).toStringUtf8();
    }

    private static List<ByteString> lengthDelimited(UnknownFieldSet set, int field) {
        return set.hasField(field) ? set.getField(field).getLengthDelimitedList() : List.of();
    }

    private static UnknownFieldSet parseUnchecked(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("corrupt ONNX model: " + e.getMessage(), e);
        }
    }
}
